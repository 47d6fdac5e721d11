package dev.ticklake.servers.hdfs;

import dev.ticklake.servers.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code ci/hdfs.sh}: {@code start DIR [PORT]} (prints the URI; refuses a second start), {@code
 * status DIR} (exit 0 and the URI when it runs, 1 otherwise), {@code stop DIR}.
 */
public final class HdfsCommand {
  private HdfsCommand() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: HdfsCommand start|status|stop DIR [PORT]");
      System.exit(2);
    }
    Path dir = Path.of(args[1]).toAbsolutePath();
    Optional<ProcessHandle> running = ServerProcess.running(dir.resolve(HdfsServer.NAME + ".pid"));
    switch (args[0]) {
      case "start" -> {
        if (running.isPresent()) {
          System.err.println("HDFS already runs (pid " + running.get().pid() + ") in " + dir);
          System.out.println(HdfsServer.uriIn(dir).orElse(""));
          System.exit(1);
        }
        HdfsServer hdfs =
            args.length > 2
                ? HdfsServer.start(dir, Integer.parseInt(args[2]))
                : HdfsServer.start(dir);
        System.out.println(hdfs.uri());
      }
      case "status" -> {
        if (running.isEmpty()) {
          System.err.println("HDFS is not running in " + dir);
          System.exit(1);
        }
        System.out.println(HdfsServer.uriIn(dir).orElse("(starting)"));
      }
      case "stop" -> running.ifPresent(h -> ServerProcess.stop(h, Duration.ofSeconds(15)));
      default -> {
        System.err.println("unknown command " + args[0] + "; use start, status or stop");
        System.exit(2);
      }
    }
    // The server JVM stays up after this one exits (its output goes to its log file).
    System.exit(0);
  }
}

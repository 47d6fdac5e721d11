package dev.ticklake.servers.s3;

import dev.ticklake.servers.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code ci/s3.sh}: {@code start DIR BUCKET [PORT]} (prints the endpoint and the s3a settings;
 * refuses a second start), {@code status DIR} (exit 0 and the endpoint when it runs, 1 otherwise),
 * {@code stop DIR}.
 */
public final class S3Command {
  private S3Command() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: S3Command start|status|stop DIR [BUCKET [PORT]]");
      System.exit(2);
    }
    Path dir = Path.of(args[1]).toAbsolutePath();
    Optional<ProcessHandle> running = ServerProcess.running(dir.resolve(S3Server.NAME + ".pid"));
    switch (args[0]) {
      case "start" -> {
        if (running.isPresent()) {
          System.err.println("S3 server already runs (pid " + running.get().pid() + ") in " + dir);
          System.exit(1);
        }
        String bucket = args.length > 2 ? args[2] : "ticklake";
        S3Server s3 =
            args.length > 3
                ? S3Server.start(dir, Integer.parseInt(args[3]), bucket)
                : S3Server.start(dir, bucket);
        System.out.println("endpoint: " + s3.endpoint() + "  lake root: s3a://" + bucket + "/lake");
        s3.s3aSettings().forEach((k, v) -> System.out.println("  " + k + ": " + v));
      }
      case "status" -> {
        if (running.isEmpty()) {
          System.err.println("S3 server is not running in " + dir);
          System.exit(1);
        }
        System.out.println(S3Server.endpointIn(dir).orElse("(starting)"));
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

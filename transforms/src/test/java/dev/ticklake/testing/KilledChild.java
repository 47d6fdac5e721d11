package dev.ticklake.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Crash tests: runs a main class in a child JVM (this JVM's classpath) that pauses at a fault point
 * (see {@code FaultPoints}), waits until it is there, then kills it with SIGKILL: no shutdown hook,
 * no cleanup, as when a machine dies.
 */
public final class KilledChild {
  private static final Duration REACH_TIMEOUT = Duration.ofSeconds(120);

  private KilledChild() {}

  /**
   * Runs {@code mainClass args} until it reaches {@code faultPoint}, then SIGKILLs it. Fails if the
   * child exits first or does not get there within 120 s; its output is in {@code
   * workDir/child.log}.
   */
  public static void killAt(String faultPoint, Path workDir, Class<?> mainClass, String... args)
      throws IOException, InterruptedException {
    Path markers = Files.createDirectories(workDir.resolve("markers"));
    Path log = workDir.resolve("child.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dticklake.fault.pause=" + faultPoint);
    command.add("-Dticklake.fault.dir=" + markers);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path marker = markers.resolve(faultPoint + ".reached");
    try {
      Await.until(
          REACH_TIMEOUT,
          "the child to reach " + faultPoint,
          () -> {
            if (!child.isAlive()) {
              throw new AssertionError("child exited before " + faultPoint); // log added below
            }
            return Files.exists(marker);
          },
          reached -> reached);
    } catch (AssertionError e) {
      child.destroyForcibly();
      throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log), e);
    }
    child.destroyForcibly(); // SIGKILL on Unix
    if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 137) {
      throw new AssertionError(
          "child was not killed by SIGKILL (exit "
              + (child.isAlive() ? "none" : child.exitValue())
              + ")");
    }
    Files.delete(marker);
  }
}

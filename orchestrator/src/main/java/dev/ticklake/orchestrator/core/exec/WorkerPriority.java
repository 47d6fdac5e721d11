package dev.ticklake.orchestrator.core.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority (Linux nice value) of the calling thread, so that in-process pipeline
 * tries yield the CPU to the service's request threads (the Grafana and web UI reads) when both
 * want it. A try runs on a thread of its own; the threads it starts (Beam's DirectRunner pool,
 * Delta writers) inherit the value, since Linux keeps a nice value per thread and a new thread
 * starts with its creator's. When nothing else wants the CPU, a niced pipeline runs as fast as
 * before.
 *
 * <p>Java has no API for it: the thread's id is read from {@code /proc/thread-self} and {@code
 * renice} (util-linux) is run on it, which needs no privilege for a higher value. Best effort: on a
 * system without {@code /proc/thread-self} or {@code renice} (macOS, Windows) nothing changes and
 * the reason is logged once.
 */
public final class WorkerPriority {
  /** The nice value of in-process tries unless configured ({@code scheduler.workerNice}). */
  public static final int DEFAULT_NICE = 10;

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPriority.class);
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  private static volatile boolean warned;

  private WorkerPriority() {}

  /**
   * Sets the calling thread's nice value to {@code nice} (1..19; 0 or less: leaves it); whether it
   * was set.
   */
  public static boolean lowerCurrentThread(int nice) {
    if (nice <= 0) {
      return false;
    }
    Optional<String> tid = currentThreadId();
    if (tid.isEmpty()) {
      warnOnce("no /proc/thread-self on this system");
      return false;
    }
    try {
      Process renice =
          new ProcessBuilder("renice", "-n", String.valueOf(Math.min(nice, 19)), "-p", tid.get())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (renice.waitFor(10, TimeUnit.SECONDS) && renice.exitValue() == 0) {
        return true;
      }
      renice.destroyForcibly();
      warnOnce("renice failed");
    } catch (IOException e) {
      warnOnce("cannot run renice: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** The calling thread's Linux thread id; empty elsewhere. */
  static Optional<String> currentThreadId() {
    try {
      // Resolved by the kernel for the thread that reads it: "<pid>/task/<tid>".
      return Optional.of(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The nice value of the calling thread, from {@code /proc/thread-self/stat}; empty elsewhere. */
  static Optional<Integer> currentNice() {
    try {
      String stat = Files.readString(THREAD_SELF.resolve("stat"));
      // Fields after the command name (which may hold spaces) in parentheses; nice is field 19.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Integer.parseInt(fields[16]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void warnOnce(String why) {
    if (!warned) {
      warned = true;
      LOG.warn("pipeline tries run at the service's CPU priority: {}", why);
    }
  }
}

package dev.ticklake.transforms.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named points where crash tests stop a process. With {@code -Dticklake.fault.pause=<point>[,...]}
 * and {@code -Dticklake.fault.dir=<dir>}, reaching a listed point writes {@code
 * <dir>/<point>.reached} and blocks forever, so that a test can kill the process (SIGKILL) at
 * exactly that point. Without those properties, {@link #reach} does nothing.
 *
 * <p>{@code -Dticklake.fault.skip=<n>} (default 0) lets the first {@code n} reaches of listed
 * points pass, so that a test can stop a process at a later commit than its first one (e.g. a DAG
 * whose first task commits once: {@code skip=1} stops the second task at its first commit).
 */
public final class FaultPoints {
  /** After a batch's data files are written, before its Delta commit. */
  public static final String BEFORE_COMMIT = "delta.before-commit";

  /** Right after a batch's Delta commit succeeded. */
  public static final String AFTER_COMMIT = "delta.after-commit";

  private static final Set<String> PAUSED =
      Set.of(System.getProperty("ticklake.fault.pause", "").split(","));

  /** Reaches of listed points still to let pass; see {@code ticklake.fault.skip}. */
  private static final AtomicLong TO_SKIP =
      new AtomicLong(Long.parseLong(System.getProperty("ticklake.fault.skip", "0").trim()));

  private FaultPoints() {}

  /**
   * Blocks forever if {@code point} is listed in {@code ticklake.fault.pause} (after the skips).
   */
  public static void reach(String point) {
    if (!PAUSED.contains(point) || TO_SKIP.getAndDecrement() > 0) {
      return;
    }
    try {
      Path dir =
          Path.of(System.getProperty("ticklake.fault.dir", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve(point + ".reached"), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Object never = new Object();
    synchronized (never) {
      while (true) {
        try {
          never.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}

package dev.ticklake.transforms.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Named points where crash tests stop a process. With {@code -Dticklake.fault.pause=<point>[,...]}
 * and {@code -Dticklake.fault.dir=<dir>}, reaching a listed point writes {@code
 * <dir>/<point>.reached} and blocks forever, so that a test can kill the process (SIGKILL) at
 * exactly that point. Without those properties, {@link #reach} does nothing.
 */
public final class FaultPoints {
  /** After a batch's data files are written, before its Delta commit. */
  public static final String BEFORE_COMMIT = "delta.before-commit";

  /** Right after a batch's Delta commit succeeded. */
  public static final String AFTER_COMMIT = "delta.after-commit";

  private static final Set<String> PAUSED =
      Set.of(System.getProperty("ticklake.fault.pause", "").split(","));

  private FaultPoints() {}

  /** Blocks forever if {@code point} is listed in {@code ticklake.fault.pause}. */
  public static void reach(String point) {
    if (!PAUSED.contains(point)) {
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

package dev.ticklake.transforms.delta;

/**
 * Another writer committed to the partitions this batch read or replaces after the batch started.
 * Nothing of this batch is visible. The batch is safe to re-run as a whole: it re-reads the same
 * source range and its {@code SetTransaction} makes the rerun idempotent. {@link DeltaBatchRetry}
 * does that with backoff.
 */
public class DeltaConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeltaConflictException(String message) {
    super(message);
  }

  public DeltaConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when {@code t} or any of its causes is a conflict (runners wrap user exceptions). */
  public static boolean isCausedBy(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DeltaConflictException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}

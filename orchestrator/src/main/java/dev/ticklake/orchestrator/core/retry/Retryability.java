package dev.ticklake.orchestrator.core.retry;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Decides whether an error is worth retrying.
 *
 * <p>Rule: an error is <b>non-retryable</b> when its cause chain (the error itself, its causes and
 * their suppressed exceptions are not followed) contains a {@link NonRetryableException} or an
 * {@link IllegalArgumentException} (which covers {@code NumberFormatException} and TickLake's
 * {@code DeltaSchemaMismatchException}). Both mean "the input or the configuration is wrong": the
 * same try would fail the same way. Everything else (I/O errors, timeouts, Delta commit conflicts,
 * {@link IllegalStateException}) is retryable. The walk is cycle-safe.
 */
public final class Retryability {

  private Retryability() {}

  /** True unless the cause chain of {@code error} holds a non-retryable type; null is retryable. */
  public static boolean isRetryable(Throwable error) {
    return nonRetryableCause(error) == null;
  }

  /** The first non-retryable exception in the cause chain, or null when there is none. */
  public static Throwable nonRetryableCause(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof NonRetryableException || t instanceof IllegalArgumentException) {
        return t;
      }
    }
    return null;
  }
}

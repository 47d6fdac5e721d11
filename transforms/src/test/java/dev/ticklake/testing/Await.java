package dev.ticklake.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The one way tests wait: poll a condition until it holds or a deadline passes; never a fixed
 * sleep. On time-out an {@link AssertionError} names what was awaited, the timeout and the last
 * value observed. Exceptions thrown by a probe are not swallowed: they end the wait at once (so a
 * probe can fail fast, e.g. when the process it waits for has exited); a checked one arrives
 * wrapped in an {@link AssertionError} that names what was awaited.
 */
public final class Await {
  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long MAX_PAUSE_MILLIS = 100;

  private Await() {}

  /** Waits until {@code condition} is true, at most {@code timeout}. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, what, condition::getAsBoolean, Boolean::booleanValue);
  }

  /**
   * Calls {@code probe} until {@code done} accepts its value, at most {@code timeout}, and returns
   * that value.
   */
  public static <T> T until(
      Duration timeout, String what, Callable<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      T value = call(probe, what);
      if (done.test(value)) {
        return value;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting for " + what + "; last observed: " + value);
      }
      pauseMillis(Math.min(pause, Math.max(1, left / 1_000_000)));
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
  }

  private static <T> T call(Callable<T> probe, String what) {
    try {
      return probe.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("Failed while waiting for " + what + ": " + e, e);
    }
  }

  private static void pauseMillis(long millis) {
    try {
      Thread.sleep(millis); // the poll interval between two probes, not a wait for an outcome
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}

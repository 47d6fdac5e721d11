package dev.ticklake.orchestrator.core.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * How often and how late a failed task is tried again (Airflow semantics).
 *
 * <p>A task has {@code retries + 1} tries. After failed try {@code n} (1-based) it waits:
 *
 * <ul>
 *   <li>without exponential backoff: exactly {@code retryDelay}, for every try;
 *   <li>with exponential backoff: {@code base = retryDelay * 2^(n-1)}, plus a deterministic jitter
 *       of {@code base * j / 1000} with {@code j = crc32(taskInstanceKey + "#" + n) mod 101} (0 to
 *       +10%, in whole milliseconds, the same for the same key and try on every machine and
 *       restart, different between tasks so that retries of many tasks do not fire together);
 *   <li>in both cases at most {@code maxRetryDelay} (default 24 h, as in Airflow).
 * </ul>
 *
 * <p>The computation saturates: any try number whose delay would overflow a {@code long} of
 * milliseconds returns {@code maxRetryDelay}. Immutable and thread-safe.
 */
public record RetryPolicy(
    int retries, Duration retryDelay, boolean exponentialBackoff, Duration maxRetryDelay) {

  /** Airflow's default {@code max_retry_delay}. */
  public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofHours(24);

  /** Airflow's default {@code retry_delay}. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(5);

  /** No retries: the first failure is final. */
  public static final RetryPolicy NONE =
      new RetryPolicy(0, DEFAULT_RETRY_DELAY, false, DEFAULT_MAX_RETRY_DELAY);

  private static final int MAX_JITTER_PER_MILLE = 100;

  public RetryPolicy {
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    if (retryDelay.isNegative() || maxRetryDelay.isNegative()) {
      throw new IllegalArgumentException(
          "retry delays must not be negative, got retryDelay="
              + retryDelay
              + ", maxRetryDelay="
              + maxRetryDelay);
    }
  }

  /** Total number of tries, the first one included. */
  public int maxTries() {
    return retries + 1;
  }

  /**
   * The delay between the end of failed try {@code failedTry} (1-based) and the start of the next
   * try of the task instance {@code taskInstanceKey} (e.g. {@code run id + "/" + task id}).
   */
  public Duration delayAfterTry(int failedTry, String taskInstanceKey) {
    if (failedTry < 1) {
      throw new IllegalArgumentException("try numbers start at 1, got " + failedTry);
    }
    Objects.requireNonNull(taskInstanceKey, "taskInstanceKey");
    long capMillis = maxRetryDelay.toMillis();
    long delayMillis = retryDelay.toMillis();
    if (!exponentialBackoff) {
      return Duration.ofMillis(Math.min(delayMillis, capMillis));
    }
    int doublings = failedTry - 1;
    // delayMillis << doublings must stay below 2^62 so that adding 10% jitter cannot overflow.
    if (delayMillis > 0 && doublings > Long.numberOfLeadingZeros(delayMillis) - 2) {
      return maxRetryDelay;
    }
    long base = delayMillis << doublings;
    int perMille = jitterPerMille(taskInstanceKey, failedTry);
    // floor(base * perMille / 1000) without the intermediate product overflowing
    long jitter = base / 1000 * perMille + base % 1000 * perMille / 1000;
    return Duration.ofMillis(Math.min(base + jitter, capMillis));
  }

  /**
   * Whether a task instance that just failed try {@code failedTry} with {@code error} gets another
   * try: tries are left and the error is {@linkplain Retryability#isRetryable retryable}.
   */
  public boolean shouldRetry(int failedTry, Throwable error) {
    return failedTry < maxTries() && Retryability.isRetryable(error);
  }

  /** 0..100 per mille, derived from the key and the try only. */
  static int jitterPerMille(String taskInstanceKey, int failedTry) {
    CRC32 crc = new CRC32();
    crc.update((taskInstanceKey + "#" + failedTry).getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % (MAX_JITTER_PER_MILLE + 1));
  }
}

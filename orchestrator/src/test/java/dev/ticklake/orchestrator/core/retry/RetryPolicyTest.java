package dev.ticklake.orchestrator.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final String KEY = "medallion__scheduled__2026-01-01T00:00:00Z/build_gold";

  private final RetryPolicy exponential =
      new RetryPolicy(5, Duration.ofSeconds(2), true, Duration.ofMinutes(1));

  @Test
  void constantDelayIsExactlyTheRetryDelayForEveryTry() {
    RetryPolicy constant = new RetryPolicy(3, Duration.ofSeconds(2), false, Duration.ofMinutes(1));

    assertThat(constant.delayAfterTry(1, KEY)).isEqualTo(Duration.ofSeconds(2));
    assertThat(constant.delayAfterTry(2, KEY)).isEqualTo(Duration.ofSeconds(2));
    assertThat(constant.delayAfterTry(10_000, KEY)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void constantDelayIsCappedToo() {
    RetryPolicy constant = new RetryPolicy(1, Duration.ofMinutes(5), false, Duration.ofMinutes(1));

    assertThat(constant.delayAfterTry(1, KEY)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void exponentialDelayDoublesPerTryPlusDeterministicJitterUpToTenPercent() {
    // base 2 s, 4 s, 8 s, 16 s, 32 s plus jitter of 75, 36, 29, 20, 85 per mille of the base
    assertThat(exponential.delayAfterTry(1, KEY)).isEqualTo(Duration.ofMillis(2_150));
    assertThat(exponential.delayAfterTry(2, KEY)).isEqualTo(Duration.ofMillis(4_144));
    assertThat(exponential.delayAfterTry(3, KEY)).isEqualTo(Duration.ofMillis(8_232));
    assertThat(exponential.delayAfterTry(4, KEY)).isEqualTo(Duration.ofMillis(16_320));
    assertThat(exponential.delayAfterTry(5, KEY)).isEqualTo(Duration.ofMillis(34_720));
  }

  @Test
  void jitterIsCrc32OfKeyAndTryModulo101PerMille() {
    for (int tryNumber = 1; tryNumber <= 5; tryNumber++) {
      CRC32 crc = new CRC32();
      crc.update((KEY + "#" + tryNumber).getBytes(StandardCharsets.UTF_8));
      long perMille = crc.getValue() % 101;
      long base = 2_000L << (tryNumber - 1);
      long expected = Math.min(base + base * perMille / 1000, 60_000);

      assertThat(exponential.delayAfterTry(tryNumber, KEY).toMillis()).isEqualTo(expected);
    }
  }

  @Test
  void jitterIsTheSameForTheSameKeyAndDiffersBetweenTasks() {
    RetryPolicy again = new RetryPolicy(5, Duration.ofSeconds(2), true, Duration.ofMinutes(1));
    assertThat(again.delayAfterTry(3, KEY)).isEqualTo(exponential.delayAfterTry(3, KEY));

    assertThat(exponential.delayAfterTry(1, "run-2/ingest_bronze"))
        .isEqualTo(Duration.ofMillis(2_040));
    Set<Duration> distinct = new HashSet<>();
    for (int task = 0; task < 20; task++) {
      Duration d = exponential.delayAfterTry(1, "run-1/task-" + task);
      assertThat(d).isBetween(Duration.ofMillis(2_000), Duration.ofMillis(2_200));
      distinct.add(d);
    }
    assertThat(distinct).hasSizeGreaterThan(10);
  }

  @Test
  void jitterStaysWithinZeroToOneHundredPerMille() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      int j = RetryPolicy.jitterPerMille("key-" + i, 1 + i % 7);
      assertThat(j).isBetween(0, 100);
      seen.add(j);
    }
    assertThat(seen).contains(0, 100).hasSize(101);
  }

  @Test
  void subSecondDelaysKeepTheirJitter() {
    RetryPolicy fast = new RetryPolicy(3, Duration.ofMillis(300), true, Duration.ofHours(24));

    assertThat(fast.delayAfterTry(1, "k")).isEqualTo(Duration.ofMillis(303));
    assertThat(fast.delayAfterTry(2, "k")).isEqualTo(Duration.ofMillis(624));
    assertThat(fast.delayAfterTry(3, "k")).isEqualTo(Duration.ofMillis(1_264));
  }

  @Test
  void cappedByMaxRetryDelay() {
    // base 64 s > 60 s
    assertThat(exponential.delayAfterTry(6, KEY)).isEqualTo(Duration.ofMinutes(1));
    // base 32 s, jitter would not reach the cap
    assertThat(exponential.delayAfterTry(5, KEY)).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void highTryNumbersReturnTheCapWithoutOverflow() {
    assertThat(exponential.delayAfterTry(10_000, KEY)).isEqualTo(Duration.ofMinutes(1));
    assertThat(exponential.delayAfterTry(63, KEY)).isEqualTo(Duration.ofMinutes(1));
    assertThat(exponential.delayAfterTry(64, KEY)).isEqualTo(Duration.ofMinutes(1));
    assertThat(exponential.delayAfterTry(65, KEY)).isEqualTo(Duration.ofMinutes(1));
    assertThat(exponential.delayAfterTry(Integer.MAX_VALUE, KEY)).isEqualTo(Duration.ofMinutes(1));

    Duration hugeCap = Duration.ofDays(1_000_000);
    RetryPolicy huge = new RetryPolicy(3, Duration.ofDays(1_000), true, hugeCap);
    assertThat(huge.delayAfterTry(10_000, KEY)).isEqualTo(hugeCap);
    assertThat(huge.delayAfterTry(2, "k")).isEqualTo(Duration.ofHours(49_968));
  }

  @Test
  void defaultCapIsTwentyFourHoursLikeAirflow() {
    RetryPolicy airflowLike =
        new RetryPolicy(30, Duration.ofMinutes(5), true, RetryPolicy.DEFAULT_MAX_RETRY_DELAY);

    assertThat(airflowLike.delayAfterTry(20, KEY)).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void retriesWhileTriesAreLeft() {
    RetryPolicy twoRetries = new RetryPolicy(2, Duration.ofSeconds(1), false, Duration.ofHours(1));
    RuntimeException transientError = new UncheckedIOException(new IOException("broker away"));

    assertThat(twoRetries.maxTries()).isEqualTo(3);
    assertThat(twoRetries.shouldRetry(1, transientError)).isTrue();
    assertThat(twoRetries.shouldRetry(2, transientError)).isTrue();
    assertThat(twoRetries.shouldRetry(3, transientError)).isFalse();
    assertThat(RetryPolicy.NONE.shouldRetry(1, transientError)).isFalse();
  }

  @Test
  void nonRetryableErrorsFailAtOnce() {
    RetryPolicy retries = new RetryPolicy(5, Duration.ofSeconds(1), false, Duration.ofHours(1));

    assertThat(retries.shouldRetry(1, new NonRetryableException("expectation failed"))).isFalse();
    assertThat(
            retries.shouldRetry(
                1, new RuntimeException("wrapped", new IllegalArgumentException("bad option"))))
        .isFalse();
    assertThat(retries.shouldRetry(1, new NumberFormatException("x"))).isFalse();
    assertThat(retries.shouldRetry(1, new IllegalStateException("conflict"))).isTrue();
    assertThat(retries.shouldRetry(1, null)).isTrue();
  }

  @Test
  void causeCyclesDoNotLoop() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertThat(Retryability.isRetryable(a)).isTrue();
    assertThat(Retryability.nonRetryableCause(new RuntimeException(new NonRetryableException("n"))))
        .hasMessage("n");
  }

  @Test
  void rejectsNegativeRetriesAndTryNumbersBelowOne() {
    assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ZERO, false, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retries must be >= 0, got -1");
    assertThatThrownBy(() -> exponential.delayAfterTry(0, KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("try numbers start at 1, got 0");
  }
}

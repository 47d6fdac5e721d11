package dev.ticklake.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void returnsTheFirstAcceptedValue() {
    AtomicInteger calls = new AtomicInteger();
    int value =
        Await.until(Duration.ofSeconds(10), "three calls", calls::incrementAndGet, n -> n >= 3);
    assertThat(value).isEqualTo(3);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void aTimeOutNamesWhatWasAwaitedAndTheLastValue() {
    assertThatThrownBy(
            () -> Await.until(Duration.ofMillis(50), "the answer", () -> 41, n -> n == 42))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Timed out after PT0.05S waiting for the answer; last observed: 41");
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(20), "a flag", () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Timed out after PT0.02S waiting for a flag; last observed: false");
  }

  @Test
  void aProbeThatThrowsEndsTheWaitAtOnce() {
    assertThatThrownBy(
            () ->
                Await.until(
                    Duration.ofMinutes(5),
                    "a file",
                    () -> {
                      throw new IOException("disk gone");
                    },
                    v -> true))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Failed while waiting for a file: java.io.IOException: disk gone")
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(
            () ->
                Await.until(
                    Duration.ofMinutes(5),
                    "a child",
                    () -> {
                      throw new IllegalStateException("child exited (1)");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("child exited (1)");
  }
}

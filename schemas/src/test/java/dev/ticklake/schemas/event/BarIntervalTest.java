package dev.ticklake.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BarIntervalTest {

  @ParameterizedTest
  @CsvSource({
    "1min, ONE_MINUTE, PT1M",
    "5min, FIVE_MINUTES, PT5M",
    "15min, FIFTEEN_MINUTES, PT15M",
    "30min, THIRTY_MINUTES, PT30M",
    "60min, SIXTY_MINUTES, PT1H",
    "1d, ONE_DAY, PT24H",
  })
  void parsesEachWireSpelling(String label, BarInterval expected, Duration duration) {
    BarInterval interval = BarInterval.fromString(label);

    assertThat(interval).isEqualTo(expected);
    assertThat(interval.label()).isEqualTo(label);
    assertThat(interval.duration()).isEqualTo(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2min", "1MIN", "1m", "1h", " 1min", ""})
  void rejectsOtherSpellingsListingTheAllowedOnes(String label) {
    assertThatThrownBy(() -> BarInterval.fromString(label))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown interval '" + label + "' (allowed: 1min, 5min, 15min, 30min, 60min, 1d)");
  }

  @Test
  void theAllowedListNamesEveryInterval() {
    assertThat(BarInterval.ALLOWED.split(", "))
        .containsExactly(
            Arrays.stream(BarInterval.values()).map(BarInterval::label).toArray(String[]::new));
  }
}

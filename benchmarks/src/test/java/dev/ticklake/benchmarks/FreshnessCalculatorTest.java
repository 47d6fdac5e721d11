package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.benchmarks.GoldBarsReader.BarKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshnessCalculatorTest {
  static final Instant MINUTE = Instant.parse("2026-11-21T14:30:00Z");
  static final BarKey AAPL = new BarKey("AAPL", MINUTE);
  static final BarKey MSFT = new BarKey("MSFT", MINUTE);

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  @Test
  void theKthEventOfABarIsVisibleFromTheFirstVersionCountingK() {
    FreshnessCalculator c = new FreshnessCalculator();
    c.event("AAPL", MINUTE.plusMillis(100), 1_000);
    c.event("AAPL", MINUTE.plusMillis(200), 1_100);
    c.event("AAPL", MINUTE.plusMillis(300), 1_200);
    c.event("MSFT", MINUTE.plusMillis(100), 1_050);

    c.version(at(3_000), Map.of(AAPL, 1L));
    c.version(at(4_000), Map.of(AAPL, 1L, MSFT, 1L)); // AAPL unchanged: no new visibility
    c.version(at(6_000), Map.of(AAPL, 3L, MSFT, 1L));

    FreshnessCalculator.Result r = c.result(0, Long.MAX_VALUE);
    assertThat(r.produced()).isEqualTo(4);
    assertThat(r.notVisible()).isZero();
    assertThat(r.latenciesMillis()).containsExactlyInAnyOrder(2_000.0, 4_900.0, 4_800.0, 2_950.0);
  }

  @Test
  void duplicatesAreNotCountedAndUnseenEventsAreReported() {
    FreshnessCalculator c = new FreshnessCalculator();
    c.event("AAPL", MINUTE.plusMillis(100), 1_000);
    c.event("AAPL", MINUTE.plusMillis(100), 1_001); // exact duplicate: Silver drops it
    c.event("AAPL", MINUTE.plusMillis(200), 1_100);
    c.version(at(2_000), Map.of(AAPL, 1L));

    FreshnessCalculator.Result r = c.result(0, Long.MAX_VALUE);
    assertThat(c.events()).isEqualTo(2);
    assertThat(r.produced()).isEqualTo(2);
    assertThat(r.notVisible()).isEqualTo(1);
    assertThat(r.latenciesMillis()).containsExactly(1_000.0);
  }

  @Test
  void onlyEventsProducedInTheWindowAreMeasured() {
    FreshnessCalculator c = new FreshnessCalculator();
    c.event("AAPL", MINUTE.plusMillis(100), 1_000);
    c.event("AAPL", MINUTE.plusMillis(200), 2_000);
    c.event("AAPL", MINUTE.plusMillis(300), 3_000);
    c.version(at(5_000), Map.of(AAPL, 3L));

    FreshnessCalculator.Result r = c.result(2_000, 3_000);
    assertThat(r.produced()).isEqualTo(1);
    assertThat(r.latenciesMillis()).containsExactly(3_000.0);
  }

  @Test
  void eventsOfDifferentMinutesBelongToDifferentBars() {
    FreshnessCalculator c = new FreshnessCalculator();
    c.event("AAPL", MINUTE.plusSeconds(59), 1_000);
    c.event("AAPL", MINUTE.plusSeconds(60), 1_100);
    c.version(at(2_000), Map.of(new BarKey("AAPL", MINUTE.plusSeconds(60)), 1L));

    FreshnessCalculator.Result r = c.result(0, Long.MAX_VALUE);
    assertThat(r.notVisible()).as("the 14:30 bar is not in gold yet").isEqualTo(1);
    assertThat(r.latenciesMillis()).containsExactly(900.0);
  }
}

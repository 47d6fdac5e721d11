package dev.ticklake.benchmarks.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class HistoryExpectationsTest {

  @Test
  void dailyBarsGiveOneBarMetricAndFoldPerSymbolAndDayAndNoMinuteBars() {
    HistoryExpectations e = HistoryExpectations.dailyBars(500, 5_218);
    assertThat(e.silverRows()).isEqualTo(2_609_000);
    assertThat(e.gold())
        .containsEntry("gold/bars_1m", 0L)
        .containsEntry("gold/bars_1d", 2_609_000L)
        .containsEntry("gold/daily_metrics", 2_609_000L)
        .containsEntry("gold/bar_state", 2_609_000L)
        .doesNotContainKey("gold/anomalies");
  }

  @Test
  void minuteBarsGive390BarsPerSymbolAndDay() {
    HistoryExpectations e = HistoryExpectations.minuteBars(50, 66);
    assertThat(e.silverRows()).isEqualTo(1_287_000);
    assertThat(e.gold())
        .containsEntry("gold/bars_1m", 1_287_000L)
        .containsEntry("gold/bars_1d", 3_300L);
  }

  @Test
  void aLiveDayHasOneBarPerSymbolInEachMinuteTheTradesReach() {
    // 2,000,000 trades 1 ms apart: 33 full minutes and 20,000 trades of a 34th, 50 symbols each
    assertThat(HistoryExpectations.liveDay(2_000_000, 50).gold())
        .containsEntry("gold/bars_1m", 34L * 50)
        .containsEntry("gold/bars_1d", 50L);
    // 130 trades, 100 symbols round-robin: one minute, 100 symbols seen
    assertThat(HistoryExpectations.liveDay(130, 100).gold())
        .containsEntry("gold/bars_1m", 100L)
        .containsEntry("gold/daily_metrics", 100L);
    // 60,030 trades of 100 symbols: the second minute's 30 trades reach 30 symbols
    assertThat(HistoryExpectations.liveDay(60_030, 100).gold()).containsEntry("gold/bars_1m", 130L);
  }

  @Test
  void tradingDaysAreWeekdaysOfTheSpanEndingOnTheEndDate() {
    LocalDate end = LocalDate.of(2025, 12, 31);
    // 2025-10-01 .. 2025-12-31: 23 + 20 + 23 weekdays
    assertThat(HistoryExpectations.tradingDaysOfMonths(end, 3)).isEqualTo(66);
    // 2025: 261 weekdays
    assertThat(HistoryExpectations.tradingDaysOfYears(end, 1)).isEqualTo(261);
  }
}

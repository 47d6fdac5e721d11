package dev.ticklake.benchmarks.pipelines;

import dev.ticklake.feeds.SyntheticHistory;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows each table must hold after one bronze → silver → gold pass of the {@code history} suite,
 * computed from the generators' definitions (not from the pipeline): a fast wrong run cannot pass.
 * Anomalies depend on the prices, so they are reported, not expected.
 *
 * @param silverRows rows of {@code silver/ticks}
 * @param gold rows per Gold table id ({@code gold/anomalies} absent: not predicted)
 */
public record HistoryExpectations(long silverRows, Map<String, Long> gold) {

  /** Daily bars of {@code symbols} over {@code tradingDays}: one bar, metric and fold a day. */
  public static HistoryExpectations dailyBars(int symbols, int tradingDays) {
    long perDay = (long) symbols * tradingDays;
    return new HistoryExpectations(perDay, gold(0, perDay));
  }

  /** 1-minute bars of the regular session (390 a day) of {@code symbols} over the days. */
  public static HistoryExpectations minuteBars(int symbols, int tradingDays) {
    long symbolDays = (long) symbols * tradingDays;
    return new HistoryExpectations(
        symbolDays * SyntheticHistory.MINUTES_PER_SESSION,
        gold(symbolDays * SyntheticHistory.MINUTES_PER_SESSION, symbolDays));
  }

  /**
   * {@code events} synthetic trades of one day, {@code symbols} round-robin, 1 ms apart from a
   * minute boundary (the {@code SyntheticFeed} of the ingest suites): minute m holds {@code
   * min(60,000, events left)} trades, so {@code min(symbols, that)} 1-minute bars.
   */
  public static HistoryExpectations liveDay(long events, int symbols) {
    long bars1m = 0;
    for (long m = 0; m * 60_000 < events; m++) {
      bars1m += Math.min(symbols, Math.min(60_000, events - m * 60_000));
    }
    long symbolsSeen = Math.min(symbols, events);
    return new HistoryExpectations(events, gold(bars1m, symbolsSeen));
  }

  /** Trading days (Monday to Friday) of the {@code years} ending on {@code end}. */
  public static int tradingDaysOfYears(LocalDate end, int years) {
    return SyntheticHistory.tradingDays(end.minusYears(years).plusDays(1), end).size();
  }

  /** Trading days of the {@code months} ending on {@code end}. */
  public static int tradingDaysOfMonths(LocalDate end, int months) {
    return SyntheticHistory.tradingDays(end.minusMonths(months).plusDays(1), end).size();
  }

  private static Map<String, Long> gold(long bars1m, long symbolDays) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("gold/bars_1m", bars1m);
    m.put("gold/bars_1d", symbolDays);
    m.put("gold/daily_metrics", symbolDays);
    m.put("gold/bar_state", symbolDays);
    return m;
  }
}

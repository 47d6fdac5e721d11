package dev.ticklake.transforms.gold;

import dev.ticklake.transforms.indicators.Anomaly;
import dev.ticklake.transforms.indicators.AnomalyDetector;
import dev.ticklake.transforms.indicators.IndicatorEngine;
import dev.ticklake.transforms.indicators.IndicatorValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recomputes one symbol's Gold series after a batch touched it: merges the bars that Gold already
 * holds with the freshly aggregated days, and replays the whole series through {@link
 * IndicatorEngine} and {@link AnomalyDetector} from its first bar.
 *
 * <p>Exactness: every indicator and anomaly equals a computation over the symbol's full history,
 * because the replay starts at the first bar ever stored. Bars the batch did not change come from
 * Gold (their OHLCV cannot have changed); a touched day's daily bar, and its one-minute bars from
 * the first minute the batch could change on, come from the batch ({@link DayFold}). Only the rows
 * that can change are returned: one-minute bars and anomalies from the earliest touched date on (a
 * late event changes its bar and every later indicator of the symbol, also on later dates), and
 * every daily bar (the daily table has one partition per symbol).
 *
 * <p>Cost: linear in the symbol's stored history (Gold rows, not Silver rows) per batch that
 * touches the symbol. A stored engine state per date would make it linear in the recomputed days
 * only, at the price of a state table that must stay consistent with the bars; replay keeps Gold
 * the single source of truth.
 */
public final class SymbolHistory {
  /** A bar with its indicators. */
  public record IndicatedBar(OhlcvBar bar, IndicatorValues indicators) {}

  /** An anomaly with the UTC date of its bar. */
  public record DatedAnomaly(int tradeDate, Anomaly anomaly) {}

  /**
   * The rows to write for the symbol.
   *
   * @param minuteBars one-minute bars of dates ≥ the earliest touched date, in order
   * @param dailyBars every daily bar of the symbol, in order
   * @param anomalies anomalies of one-minute bars of dates ≥ the earliest touched date
   * @param replacedDates the dates whose {@code bars_1m} and {@code anomalies} partitions the rows
   *     replace, including dates whose recomputed partition is empty
   */
  public record Recomputed(
      List<IndicatedBar> minuteBars,
      List<IndicatedBar> dailyBars,
      List<DatedAnomaly> anomalies,
      List<Integer> replacedDates) {}

  private final int anomalyWindow;
  private final double anomalyThreshold;

  /** A recomputation with the anomaly detector's window and threshold. */
  public SymbolHistory(int anomalyWindow, double anomalyThreshold) {
    this.anomalyWindow = anomalyWindow;
    this.anomalyThreshold = anomalyThreshold;
  }

  /**
   * Recomputes the symbol after a batch.
   *
   * @param freshDays the symbol's days the batch changed (non-empty): each replaces the stored
   *     daily bar of its date and the stored one-minute bars from its {@link
   *     SymbolDay#minuteBarsFrom()} on
   * @param storedMinuteBars the symbol's rows of {@code gold/bars_1m}, any order
   * @param storedDailyBars the symbol's rows of {@code gold/bars_1d}, any order
   */
  public Recomputed recompute(
      Collection<SymbolDay> freshDays,
      Collection<OhlcvBar> storedMinuteBars,
      Collection<OhlcvBar> storedDailyBars) {
    Map<Integer, SymbolDay> freshByDate = new HashMap<>();
    int firstTouchedDate = Integer.MAX_VALUE;
    for (SymbolDay day : freshDays) {
      if (freshByDate.put(day.tradeDate(), day) != null) {
        throw new IllegalArgumentException("two fresh days for date " + day.tradeDate());
      }
      firstTouchedDate = Math.min(firstTouchedDate, day.tradeDate());
    }
    if (freshByDate.isEmpty()) {
      throw new IllegalArgumentException("no fresh day to recompute from");
    }
    TreeMap<Integer, List<OhlcvBar>> minuteDays = new TreeMap<>();
    TreeMap<Integer, OhlcvBar> dailyByDate = new TreeMap<>();
    TreeSet<Integer> replaced = new TreeSet<>();
    for (OhlcvBar b : storedMinuteBars) {
      if (b.tradeDate() >= firstTouchedDate) {
        // Every partition from the first touched date on is replaced, also one whose recomputed
        // content would be empty (e.g. an anomaly that vanished).
        replaced.add(b.tradeDate());
      }
      SymbolDay fresh = freshByDate.get(b.tradeDate());
      if (fresh == null || b.barStartMicros() < fresh.minuteBarsFrom()) {
        minuteDays.computeIfAbsent(b.tradeDate(), d -> new ArrayList<>()).add(b);
      }
    }
    for (OhlcvBar b : storedDailyBars) {
      dailyByDate.put(b.tradeDate(), b);
    }
    for (SymbolDay day : freshDays) {
      minuteDays.computeIfAbsent(day.tradeDate(), d -> new ArrayList<>()).addAll(day.minuteBars());
      dailyByDate.put(day.tradeDate(), day.dailyBar());
      replaced.add(day.tradeDate());
    }

    IndicatorEngine intraday = IndicatorEngine.forIntradayBars();
    AnomalyDetector detector = new AnomalyDetector(anomalyWindow, anomalyThreshold);
    List<IndicatedBar> minuteRows = new ArrayList<>();
    List<DatedAnomaly> anomalies = new ArrayList<>();
    for (Map.Entry<Integer, List<OhlcvBar>> day : minuteDays.entrySet()) {
      boolean emit = day.getKey() >= firstTouchedDate;
      List<OhlcvBar> bars = day.getValue();
      if (!isSorted(bars)) {
        bars = new ArrayList<>(bars);
        bars.sort(Comparator.comparingLong(OhlcvBar::barStartMicros));
      }
      for (OhlcvBar bar : bars) {
        IndicatorValues values = intraday.accept(bar.toIndicatorBar());
        Optional<Anomaly> anomaly = detector.accept(bar.toIndicatorBar());
        if (emit) {
          minuteRows.add(new IndicatedBar(bar, values));
          anomaly.ifPresent(a -> anomalies.add(new DatedAnomaly(bar.tradeDate(), a)));
        }
      }
    }

    IndicatorEngine daily = IndicatorEngine.forDailyBars();
    List<IndicatedBar> dailyRows = new ArrayList<>(dailyByDate.size());
    for (OhlcvBar bar : dailyByDate.values()) {
      dailyRows.add(new IndicatedBar(bar, daily.accept(bar.toIndicatorBar())));
    }
    return new Recomputed(minuteRows, dailyRows, anomalies, List.copyOf(replaced));
  }

  private static boolean isSorted(List<OhlcvBar> bars) {
    for (int i = 1; i < bars.size(); i++) {
      if (bars.get(i - 1).barStartMicros() >= bars.get(i).barStartMicros()) {
        return false;
      }
    }
    return true;
  }
}

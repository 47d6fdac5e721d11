package dev.ticklake.transforms.gold;

import dev.ticklake.transforms.indicators.Anomaly;
import dev.ticklake.transforms.indicators.AnomalyDetector;
import dev.ticklake.transforms.indicators.IndicatorEngine;
import dev.ticklake.transforms.indicators.IndicatorValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recomputes one symbol's Gold series after a batch touched it: merges the bars that Gold already
 * holds with the freshly aggregated days, and replays the whole series through {@link
 * IndicatorEngine} and {@link AnomalyDetector} from its first bar.
 *
 * <p>Exactness: every indicator and anomaly equals a computation over the symbol's full history,
 * because the replay starts at the first bar ever stored. Bars of dates the batch did not touch
 * come from Gold (their OHLCV cannot have changed: Silver did not change those partitions); bars of
 * touched dates come from Silver. Only the rows that can change are returned: one-minute bars and
 * anomalies from the earliest touched date on (a late event changes its bar and every later
 * indicator of the symbol, also on later dates), and every daily bar (the daily table has one
 * partition per symbol).
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
   * Recomputes the symbol.
   *
   * @param firstTouchedDate the earliest date (epoch day) whose Silver rows of the symbol changed
   * @param freshDates dates (epoch days) whose content comes from {@code freshDays} only: a stored
   *     bar of such a date that has no fresh counterpart is dropped
   * @param freshDays the symbol's days aggregated from Silver in this batch
   * @param storedMinuteBars the symbol's rows of {@code gold/bars_1m}, any order
   * @param storedDailyBars the symbol's rows of {@code gold/bars_1d}, any order
   */
  public Recomputed recompute(
      int firstTouchedDate,
      Set<Integer> freshDates,
      Collection<SymbolDay> freshDays,
      Collection<OhlcvBar> storedMinuteBars,
      Collection<OhlcvBar> storedDailyBars) {
    TreeMap<Integer, List<OhlcvBar>> minuteDays = new TreeMap<>();
    TreeMap<Integer, OhlcvBar> dailyByDate = new TreeMap<>();
    for (OhlcvBar b : storedMinuteBars) {
      if (!freshDates.contains(b.tradeDate())) {
        minuteDays.computeIfAbsent(b.tradeDate(), d -> new ArrayList<>()).add(b);
      }
    }
    for (OhlcvBar b : storedDailyBars) {
      if (!freshDates.contains(b.tradeDate())) {
        dailyByDate.put(b.tradeDate(), b);
      }
    }
    // Every partition from the first touched date on that exists or will exist is replaced; a
    // stored one whose recomputed content is empty (e.g. an anomaly that vanished) is emptied.
    TreeSet<Integer> replaced = new TreeSet<>();
    for (SymbolDay day : freshDays) {
      minuteDays.put(day.tradeDate(), day.minuteBars());
      dailyByDate.put(day.tradeDate(), day.dailyBar());
      if (day.tradeDate() >= firstTouchedDate) {
        replaced.add(day.tradeDate());
      }
    }
    for (OhlcvBar b : storedMinuteBars) {
      if (b.tradeDate() >= firstTouchedDate) {
        replaced.add(b.tradeDate());
      }
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

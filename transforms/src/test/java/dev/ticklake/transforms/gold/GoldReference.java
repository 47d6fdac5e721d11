package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.indicators.Bar;
import dev.ticklake.transforms.indicators.ReferenceSeries;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;

/**
 * Gold computed independently of the production code, straight from the definitions, over the
 * complete Silver content: plain Java streams for the aggregates, {@link ReferenceSeries} (full
 * history, textbook formulas) for the indicators, and a two-pass z-score for anomalies.
 */
final class GoldReference {
  private static final Set<String> INDICATORS =
      Set.of(
          "sma_20",
          "sma_50",
          "ema_12",
          "ema_26",
          "rsi_14",
          "macd",
          "macd_signal",
          "macd_hist",
          "bb_upper",
          "bb_middle",
          "bb_lower",
          "bb_pct_b",
          "atr_14",
          "volatility_20",
          "obv");

  record Ev(
      String symbol,
      long ts,
      LocalDate date,
      boolean trade,
      String interval,
      double o,
      double h,
      double l,
      double c,
      long v,
      String source,
      String id) {
    double vwapPrice() {
      return trade ? c : (h + l + c) / 3.0;
    }
  }

  final List<Map<String, Object>> bars1m = new ArrayList<>();
  final List<Map<String, Object>> bars1d = new ArrayList<>();
  final List<Map<String, Object>> anomalies = new ArrayList<>();
  final List<Map<String, Object>> dailyMetrics = new ArrayList<>();

  GoldReference(List<GenericRecord> silverRows, int window, double threshold) {
    List<Ev> events =
        silverRows.stream()
            .map(
                r ->
                    new Ev(
                        r.get("symbol").toString(),
                        (Long) r.get("ts"),
                        LocalDate.ofEpochDay((Integer) r.get("trade_date")),
                        r.get("kind").toString().equals("trade"),
                        r.get("interval") == null ? null : r.get("interval").toString(),
                        (Double) r.get("open"),
                        (Double) r.get("high"),
                        (Double) r.get("low"),
                        (Double) r.get("close"),
                        (Long) r.get("volume"),
                        r.get("source").toString(),
                        r.get("event_id").toString()))
            .sorted(
                Comparator.comparingLong(Ev::ts).thenComparing(Ev::source).thenComparing(Ev::id))
            .toList();
    Map<String, List<Ev>> bySymbol =
        events.stream()
            .collect(Collectors.groupingBy(Ev::symbol, TreeMap::new, Collectors.toList()));
    for (Map.Entry<String, List<Ev>> s : bySymbol.entrySet()) {
      Map<Long, List<Ev>> minutes =
          s.getValue().stream()
              .filter(e -> e.trade() || "1min".equals(e.interval()))
              .collect(
                  Collectors.groupingBy(
                      e -> Math.floorDiv(e.ts(), 60_000_000L) * 60_000_000L,
                      TreeMap::new,
                      Collectors.toList()));
      List<Map<String, Object>> minuteRows =
          minutes.entrySet().stream().map(m -> bar(s.getKey(), m.getKey(), m.getValue())).toList();
      addIndicators(minuteRows, false);
      bars1m.addAll(minuteRows);
      anomalies.addAll(anomalies(minuteRows, window, threshold));

      Map<LocalDate, List<Ev>> days =
          s.getValue().stream()
              .collect(Collectors.groupingBy(Ev::date, TreeMap::new, Collectors.toList()));
      List<Map<String, Object>> dayRows =
          days.entrySet().stream()
              .map(d -> bar(s.getKey(), d.getKey().toEpochDay() * 86_400_000_000L, d.getValue()))
              .toList();
      addIndicators(dayRows, true);
      bars1d.addAll(dayRows);
      for (Map.Entry<LocalDate, List<Ev>> d : days.entrySet()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trading_date", d.getKey());
        m.put("symbol", s.getKey());
        double sum = 0;
        for (Ev e : d.getValue()) {
          sum += e.c();
        }
        m.put("avg_price", sum / d.getValue().size());
        m.put("total_volume", d.getValue().stream().mapToLong(Ev::v).sum());
        dailyMetrics.add(m);
      }
    }
  }

  private static Map<String, Object> bar(String symbol, long start, List<Ev> evs) {
    Map<String, Object> m = new LinkedHashMap<>();
    Instant startInstant = Instant.ofEpochSecond(start / 1_000_000L, (start % 1_000_000L) * 1000);
    m.put("symbol", symbol);
    m.put("bar_start", startInstant);
    m.put("trade_date", LocalDate.ofEpochDay(Math.floorDiv(start, 86_400_000_000L)));
    m.put("open", evs.get(0).o());
    m.put("high", evs.stream().mapToDouble(Ev::h).max().orElseThrow());
    m.put("low", evs.stream().mapToDouble(Ev::l).min().orElseThrow());
    m.put("close", evs.get(evs.size() - 1).c());
    long volume = evs.stream().mapToLong(Ev::v).sum();
    m.put("volume", volume);
    double pv = 0;
    for (Ev e : evs) {
      pv += e.vwapPrice() * e.v();
    }
    m.put("vwap", volume == 0 ? evs.get(evs.size() - 1).c() : pv / volume);
    m.put("trade_count", (long) evs.size());
    return m;
  }

  private static void addIndicators(List<Map<String, Object>> rows, boolean annualise) {
    List<Bar> bars = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Instant t = (Instant) r.get("bar_start");
      bars.add(
          Bar.of(
              t,
              (Double) r.get("open"),
              (Double) r.get("high"),
              (Double) r.get("low"),
              (Double) r.get("close"),
              ((Long) r.get("volume")).doubleValue()));
    }
    List<Map<String, Double>> values = ReferenceSeries.indicators(bars, annualise);
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).putAll(values.get(i));
    }
  }

  private static List<Map<String, Object>> anomalies(
      List<Map<String, Object>> bars, int window, double threshold) {
    List<Map<String, Object>> out = new ArrayList<>();
    double[] r = new double[bars.size()];
    for (int t = 1; t < bars.size(); t++) {
      r[t] = Math.log((Double) bars.get(t).get("close") / (Double) bars.get(t - 1).get("close"));
      if (t - window < 1) {
        continue;
      }
      double mean = 0;
      for (int j = t - window; j < t; j++) {
        mean += r[j];
      }
      mean /= window;
      double ss = 0;
      for (int j = t - window; j < t; j++) {
        ss += (r[j] - mean) * (r[j] - mean);
      }
      double sd = Math.sqrt(ss / (window - 1));
      double z = (r[t] - mean) / sd;
      if (sd > 0 && Math.abs(z) > threshold) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", bars.get(t).get("symbol"));
        m.put("bar_start", bars.get(t).get("bar_start"));
        m.put("trade_date", bars.get(t).get("trade_date"));
        m.put("interval", "1min");
        m.put("close", bars.get(t).get("close"));
        m.put("log_return", r[t]);
        m.put("zscore", z);
        m.put("direction", z > 0 ? "up" : "down");
        m.put("window", window);
        m.put("threshold", threshold);
        out.add(m);
      }
    }
    return out;
  }

  /**
   * {@code actual} equals {@code expected} row by row after sorting both by {@code keys}:
   * aggregates exactly, indicator columns, z-scores and log returns within 1e-9 relative (MACD
   * relative to the price level, as the indicator reference test does).
   */
  static void assertSameRows(
      List<Map<String, Object>> actual, List<Map<String, Object>> expected, String... keys) {
    List<Map<String, Object>> a = KernelTableReader.sorted(actual, keys);
    List<Map<String, Object>> e = KernelTableReader.sorted(expected, keys);
    assertThat(a).hasSize(e.size());
    for (int i = 0; i < a.size(); i++) {
      Map<String, Object> want = e.get(i);
      Map<String, Object> got = a.get(i);
      assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
      for (String column : want.keySet()) {
        Object w = want.get(column);
        Object g = got.get(column);
        String where = "row " + i + " (" + key(want, keys) + ") column " + column;
        if (INDICATORS.contains(column) || column.equals("zscore") || column.equals("log_return")) {
          if (w == null || g == null) {
            assertThat(g).as(where).isEqualTo(w);
          } else {
            double scale = Math.abs((Double) w);
            if (column.startsWith("macd")) {
              scale = Math.max(scale, (Double) want.get("close"));
            }
            assertThat(Math.abs((Double) g - (Double) w))
                .as(where)
                .isLessThanOrEqualTo(1e-9 * scale);
          }
        } else {
          assertThat(g).as(where).isEqualTo(w);
        }
      }
    }
  }

  private static String key(Map<String, Object> row, String... keys) {
    List<String> parts = new ArrayList<>();
    for (String k : keys) {
      parts.add(k + "=" + row.get(k));
    }
    return String.join(", ", parts);
  }
}

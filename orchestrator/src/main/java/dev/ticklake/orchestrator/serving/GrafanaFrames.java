package dev.ticklake.orchestrator.serving;

import dev.ticklake.orchestrator.api.GrafanaSeries;
import dev.ticklake.orchestrator.api.GrafanaTable;
import dev.ticklake.orchestrator.serving.Downsampling.Fold;
import dev.ticklake.orchestrator.serving.Downsampling.Point;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-layer rows as the Grafana JSON datasource's frames: time series per key (downsampled by
 * {@link Downsampling} when the request asks for fewer points or a wider interval), tables (times
 * as epoch millis, the newest {@code maxTableRows} rows), counts and freshness quantiles. Pure
 * functions of their input.
 */
final class GrafanaFrames {
  private final int maxTableRows;

  GrafanaFrames(int maxTableRows) {
    this.maxTableRows = maxTableRows;
  }

  List<Object> series(
      RowSet rows,
      List<String> keys,
      String time,
      String value,
      String weight,
      Fold fold,
      long barMs,
      GrafanaRequest r) {
    List<String> values = weight == null ? List.of(value) : List.of(value, weight);
    Fold[] folds = weight == null ? new Fold[] {fold} : new Fold[] {fold, Fold.SUM};
    List<Object> out = new ArrayList<>();
    for (Map.Entry<String, List<Point>> e : group(rows, keys, time, values).entrySet()) {
      List<Number[]> datapoints = new ArrayList<>();
      for (Point p : fold(e.getValue(), folds, weight == null ? -1 : 1, barMs, r)) {
        if (p.values()[0] != null) {
          datapoints.add(new Number[] {p.values()[0], p.time()});
        }
      }
      String name = e.getKey().isEmpty() ? value : e.getKey() + " " + value;
      out.add(new GrafanaSeries(name, datapoints));
    }
    return out;
  }

  static List<Point> fold(
      List<Point> points, Fold[] folds, int weight, long barMs, GrafanaRequest r) {
    long width =
        Downsampling.bucketMillis(
            r.from().toEpochMilli(),
            r.to().toEpochMilli(),
            points.size(),
            r.maxDataPoints(),
            r.intervalMs(),
            barMs);
    return width == 0 ? points : Downsampling.downsample(points, folds, weight, width);
  }

  /** Points per key (the key columns' values joined by a space), each list sorted by time. */
  static Map<String, List<Point>> group(
      RowSet rows, List<String> keys, String time, List<String> values) {
    int[] keyAt = keys.stream().mapToInt(rows::indexOf).toArray();
    int timeAt = rows.indexOf(time);
    int[] valueAt = values.stream().mapToInt(rows::indexOf).toArray();
    Map<String, List<Point>> groups = new LinkedHashMap<>();
    for (Object[] row : rows.rows()) {
      Long ms = millis(row[timeAt]);
      if (ms == null) {
        continue;
      }
      StringBuilder key = new StringBuilder();
      for (int k : keyAt) {
        key.append(key.length() == 0 ? "" : " ").append(row[k]);
      }
      Double[] v = new Double[valueAt.length];
      for (int i = 0; i < valueAt.length; i++) {
        v[i] = row[valueAt[i]] instanceof Number n ? n.doubleValue() : null;
      }
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(new Point(ms, v));
    }
    groups.values().forEach(l -> l.sort(Comparator.comparingLong(Point::time)));
    return groups;
  }

  /** Rows counted per distinct value of {@code keys}, most frequent first. */
  static GrafanaTable counts(RowSet rows, List<String> keys, String countName) {
    int[] keyAt = keys.stream().mapToInt(rows::indexOf).toArray();
    Map<List<Object>, Long> counts = new LinkedHashMap<>();
    for (Object[] row : rows.rows()) {
      List<Object> key = new ArrayList<>();
      for (int k : keyAt) {
        key.add(row[k] == null ? "" : String.valueOf(row[k]));
      }
      counts.merge(key, 1L, Long::sum);
    }
    List<List<Object>> out = new ArrayList<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<List<Object>, Long>comparingByValue().reversed())
        .forEach(
            e -> {
              List<Object> row = new ArrayList<>(e.getKey());
              row.add(e.getValue());
              out.add(row);
            });
    List<GrafanaTable.Column> columns = new ArrayList<>();
    keys.forEach(k -> columns.add(new GrafanaTable.Column(k, "string")));
    columns.add(new GrafanaTable.Column(countName, "number"));
    return GrafanaTable.of(columns, out);
  }

  static GrafanaTable quantiles(String table, RowSet commits) {
    int at = commits.indexOf("freshness_seconds");
    List<Double> values = new ArrayList<>();
    for (Object[] row : commits.rows()) {
      if (row[at] instanceof Number n) {
        values.add(n.doubleValue());
      }
    }
    values.sort(Double::compare);
    List<Object> row = new ArrayList<>();
    row.add(table);
    row.add((long) values.size());
    row.add(nearestRank(values, 0.50));
    row.add(nearestRank(values, 0.95));
    row.add(values.isEmpty() ? null : values.get(values.size() - 1));
    return GrafanaTable.of(
        List.of(
            new GrafanaTable.Column("table", "string"),
            new GrafanaTable.Column("commits", "number"),
            new GrafanaTable.Column("p50_s", "number"),
            new GrafanaTable.Column("p95_s", "number"),
            new GrafanaTable.Column("max_s", "number")),
        List.of(row));
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code q} of them at or below.
   */
  static Double nearestRank(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** A read-layer table as a Grafana table: times as epoch millis, newest maxTableRows rows. */
  GrafanaTable table(RowSet rows) {
    List<GrafanaTable.Column> columns = new ArrayList<>();
    for (int c = 0; c < rows.columns().size(); c++) {
      columns.add(new GrafanaTable.Column(rows.columns().get(c), typeOf(rows, c)));
    }
    List<Object[]> kept = rows.rows();
    if (kept.size() > maxTableRows) {
      kept = kept.subList(kept.size() - maxTableRows, kept.size());
    }
    List<List<Object>> out = new ArrayList<>();
    for (Object[] row : kept) {
      List<Object> cells = new ArrayList<>();
      for (Object v : row) {
        cells.add(cell(v));
      }
      out.add(cells);
    }
    return GrafanaTable.of(columns, out);
  }

  /** A value as JSON shows it: times as epoch millis, booleans as text. */
  public static Object cell(Object v) {
    if (v instanceof Instant || v instanceof LocalDate) {
      return millis(v);
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    return v;
  }

  private static String typeOf(RowSet rows, int c) {
    for (Object[] row : rows.rows()) {
      Object v = row[c];
      if (v instanceof Instant || v instanceof LocalDate) {
        return "time";
      } else if (v instanceof Number) {
        return "number";
      } else if (v != null) {
        return "string";
      }
    }
    return "string";
  }

  static Long millis(Object v) {
    if (v instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (v instanceof LocalDate d) {
      return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
    return null;
  }
}

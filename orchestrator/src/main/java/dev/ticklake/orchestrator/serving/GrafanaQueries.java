package dev.ticklake.orchestrator.serving;

import dev.ticklake.orchestrator.api.GrafanaSeries;
import dev.ticklake.orchestrator.api.GrafanaTable;
import dev.ticklake.orchestrator.serving.Downsampling.Fold;
import dev.ticklake.orchestrator.serving.Downsampling.Point;
import dev.ticklake.orchestrator.serving.GrafanaMetrics.Metric;
import dev.ticklake.orchestrator.serving.GrafanaRequest.Target;
import dev.ticklake.orchestrator.serving.MarketData.Interval;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers {@code POST /grafana/query}: each target of a {@link GrafanaRequest} becomes time series
 * (one per symbol, expectation, DAG, table...) or one table, read through the read layer. Series
 * longer than {@code maxDataPoints}, or with {@code intervalMs} wider than a bar, are downsampled
 * by {@link Downsampling} (OHLC semantics); tables are not, and keep their newest {@code
 * maxTableRows} rows. Every input is validated first; a bad one fails the whole request with a 400.
 * Thread-safe.
 */
public final class GrafanaQueries {
  private final MarketData market;
  private final GrafanaMetrics metrics;
  private final PipelineStats pipeline;
  private final CommitHistory commits;
  private final int maxTableRows;
  private final Clock clock;

  public GrafanaQueries(
      MarketData market,
      GrafanaMetrics metrics,
      PipelineStats pipeline,
      CommitHistory commits,
      int maxTableRows,
      Clock clock) {
    this.market = market;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.commits = commits;
    this.maxTableRows = maxTableRows;
    this.clock = clock;
  }

  /**
   * The answers of every target, in target order ({@link GrafanaSeries} or {@link GrafanaTable}).
   */
  public List<Object> query(GrafanaRequest r) {
    market.checkRange(r.from(), r.to());
    List<Metric> resolved = r.targets().stream().map(t -> metrics.require(t.metric())).toList();
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < resolved.size(); i++) {
      try {
        out.addAll(run(resolved.get(i), r.targets().get(i), r));
      } catch (NoRows e) {
        // The target's symbols and the ad-hoc filter exclude each other: it answers nothing.
      }
    }
    return out;
  }

  private List<Object> run(Metric m, Target t, GrafanaRequest r) {
    return switch (m.family()) {
      case BAR_COLUMN, BAR_INDICATOR -> bars(m, t, r);
      case CANDLES -> List.of(candles(t, r));
      case ANOMALY_COLUMN -> {
        Interval interval = Interval.parse(t.string(GrafanaMetrics.INTERVAL).orElse(null));
        RowSet rows = market.anomalies(interval, symbols(t, r), r.from(), r.to());
        yield series(
            rows,
            List.of("symbol"),
            "bar_start",
            m.column(),
            null,
            Fold.LAST,
            interval.millis(),
            r);
      }
      case ANOMALY_TABLE -> {
        Interval interval = Interval.parse(t.string(GrafanaMetrics.INTERVAL).orElse(null));
        yield List.of(table(market.anomalies(interval, symbols(t, r), r.from(), r.to())));
      }
      case DAILY_COLUMN -> {
        RowSet rows =
            market.read(
                m.table(),
                symbols(t, r),
                r.from(),
                r.to(),
                List.of("symbol", "trading_date", m.column()));
        yield series(
            rows,
            List.of("symbol"),
            "trading_date",
            m.column(),
            null,
            Downsampling.foldOf(m.column()),
            86_400_000L,
            r);
      }
      case DAILY_TABLE, ML_TABLE ->
          List.of(table(market.read(m.table(), symbols(t, r), r.from(), r.to(), List.of())));
      case ML_COLUMN -> {
        RowSet rows = market.read(m.table(), symbols(t, r), r.from(), r.to(), List.of());
        ServedTable served = LakeReader.table(m.table());
        String time =
            served
                .timeColumn(rows.columns())
                .orElseThrow(
                    () ->
                        ServingRequestException.badRequest(
                            m.table() + " has no time column to plot"));
        List<String> keys = new ArrayList<>(List.of("symbol"));
        if (rows.hasColumn("model_id")) {
          keys.add("model_id");
        }
        yield series(rows, keys, time, m.column(), null, Fold.LAST, 1, r);
      }
      case DQ_COUNT -> dataQuality(m, t, r);
      case QUARANTINE_COUNT -> {
        RowSet rows =
            market
                .lake()
                .read(
                    new TableQuery(
                        m.table(),
                        Set.of(),
                        Optional.of(r.from()),
                        Optional.of(r.to()),
                        List.of("quarantined_at")));
        List<Object[]> ones = rows.rows().stream().map(x -> new Object[] {x[0], 1.0}).toList();
        RowSet counted = new RowSet(rows.version(), List.of("time", "quarantined"), ones);
        yield series(counted, List.of(), "time", "quarantined", null, Fold.SUM, 60_000L, r);
      }
      case QUARANTINE_REASONS -> List.of(quarantineReasons(m, r));
      case RUN_DURATION ->
          series(
              pipeline.runs(r.from(), r.to(), dags(t)),
              List.of("dag_id"),
              "time",
              "duration_s",
              null,
              Fold.MAX,
              1,
              r);
      case TASK_DURATION ->
          series(
              pipeline.tasks(r.from(), r.to(), dags(t)),
              List.of("dag_id", "task_id"),
              "time",
              "duration_s",
              null,
              Fold.MAX,
              1,
              r);
      case RUNS_BY_STATE ->
          List.of(
              counts(pipeline.runs(r.from(), r.to(), dags(t)), List.of("dag_id", "state"), "runs"));
      case TASK_STATES ->
          List.of(
              counts(
                  pipeline.tasks(r.from(), r.to(), dags(t)),
                  List.of("dag_id", "task_id", "state"),
                  "tries"));
      case FRESHNESS -> {
        String table = freshnessTable(t);
        yield series(
            commits.commits(table, GrafanaMetrics.HOP_TABLES.get(table), r.from(), r.to()),
            List.of("table"),
            "time",
            "freshness_s",
            null,
            Fold.MAX,
            1,
            r);
      }
      case FRESHNESS_QUANTILES -> {
        String table = freshnessTable(t);
        yield List.of(
            quantiles(
                table,
                commits.commits(table, GrafanaMetrics.HOP_TABLES.get(table), r.from(), r.to())));
      }
      case ROWS_PER_HOP -> {
        List<String> tables = t.strings(GrafanaMetrics.TABLE);
        if (tables.isEmpty()) {
          tables = List.copyOf(GrafanaMetrics.HOP_TABLES.keySet());
        }
        List<Object> out = new ArrayList<>();
        for (String table : tables) {
          if (!GrafanaMetrics.HOP_TABLES.containsKey(table)) {
            throw ServingRequestException.badRequest(
                "unknown table '"
                    + table
                    + "' for pipeline.rows_per_hop; accepted: "
                    + GrafanaMetrics.HOP_TABLES.keySet());
          }
          out.addAll(
              series(
                  commits.commits(table, GrafanaMetrics.HOP_TABLES.get(table), r.from(), r.to()),
                  List.of("table"),
                  "time",
                  "rows_added",
                  null,
                  Fold.SUM,
                  1,
                  r));
        }
        yield out;
      }
      case SCHEDULER_HEARTBEAT -> List.of(table(pipeline.heartbeats(clock.instant())));
    };
  }

  private List<Object> bars(Metric m, Target t, GrafanaRequest r) {
    Interval interval = Interval.parse(t.string(GrafanaMetrics.INTERVAL).orElse(null));
    String column = m.column();
    if (m.family() == GrafanaMetrics.Family.BAR_INDICATOR) {
      String period =
          t.string(GrafanaMetrics.PERIOD).orElse(m.periods().keySet().iterator().next());
      column = m.periods().get(period);
      if (column == null) {
        throw ServingRequestException.badRequest(
            "unknown period '"
                + period
                + "' of "
                + m.name()
                + "; accepted: "
                + String.join(", ", m.periods().keySet()));
      }
    }
    List<String> cols = new ArrayList<>(List.of("symbol", "bar_start", column));
    String weight = null;
    if (column.equals("vwap")) {
      cols.add("volume");
      weight = "volume";
    }
    RowSet rows = market.read(interval.table(), symbols(t, r), r.from(), r.to(), cols);
    return series(
        rows,
        List.of("symbol"),
        "bar_start",
        column,
        weight,
        Downsampling.foldOf(column),
        interval.millis(),
        r);
  }

  private GrafanaTable candles(Target t, GrafanaRequest r) {
    Interval interval = Interval.parse(t.string(GrafanaMetrics.INTERVAL).orElse(null));
    List<String> ohlcv = List.of("open", "high", "low", "close", "volume");
    List<String> cols = new ArrayList<>(List.of("symbol", "bar_start"));
    cols.addAll(ohlcv);
    RowSet rows = market.read(interval.table(), symbols(t, r), r.from(), r.to(), cols);
    Fold[] folds = ohlcv.stream().map(Downsampling::foldOf).toArray(Fold[]::new);
    List<List<Object>> out = new ArrayList<>();
    for (Map.Entry<String, List<Point>> e :
        group(rows, List.of("symbol"), "bar_start", ohlcv).entrySet()) {
      for (Point p : fold(e.getValue(), folds, -1, interval.millis(), r)) {
        List<Object> row = new ArrayList<>();
        row.add(p.time());
        row.add(e.getKey());
        for (int i = 0; i < ohlcv.size(); i++) {
          Double v = p.values()[i];
          row.add(i == 4 && v != null ? (Object) Math.round(v) : v);
        }
        out.add(row);
      }
    }
    List<GrafanaTable.Column> columns = new ArrayList<>();
    columns.add(new GrafanaTable.Column("time", "time"));
    columns.add(new GrafanaTable.Column("symbol", "string"));
    ohlcv.forEach(c -> columns.add(new GrafanaTable.Column(c, "number")));
    return GrafanaTable.of(columns, out);
  }

  private List<Object> dataQuality(Metric m, Target t, GrafanaRequest r) {
    String tableId = t.string(GrafanaMetrics.TABLE).orElse(TableCatalog.SILVER_TICKS.id());
    TableDef table =
        GrafanaMetrics.qualityTables().stream()
            .filter(d -> d.id().equals(tableId))
            .findFirst()
            .orElseThrow(
                () ->
                    ServingRequestException.badRequest(
                        "unknown table '"
                            + tableId
                            + "' for "
                            + m.name()
                            + "; accepted: "
                            + GrafanaMetrics.qualityTables().stream().map(TableDef::id).toList()));
    List<String> known = GrafanaMetrics.expectations(table);
    Set<String> wanted = new LinkedHashSet<>(t.strings(GrafanaMetrics.EXPECTATION));
    for (String e : wanted) {
      if (!known.contains(e)) {
        throw ServingRequestException.badRequest(
            "unknown expectation '"
                + e
                + "' of "
                + tableId
                + "; accepted: "
                + String.join(", ", known));
      }
    }
    RowSet rows =
        market
            .lake()
            .read(
                new TableQuery(
                    m.table(),
                    Set.of(),
                    Optional.of(r.from()),
                    Optional.of(r.to()),
                    List.of("table_id", "expectation", "recorded_at", m.column())));
    List<Object[]> kept = new ArrayList<>();
    for (Object[] row : rows.rows()) {
      if (tableId.equals(row[0]) && (wanted.isEmpty() || wanted.contains(row[1]))) {
        kept.add(new Object[] {row[1], row[2], row[3]});
      }
    }
    RowSet mine = new RowSet(rows.version(), List.of("expectation", "time", m.column()), kept);
    return series(mine, List.of("expectation"), "time", m.column(), null, Fold.SUM, 1, r);
  }

  private GrafanaTable quarantineReasons(Metric m, GrafanaRequest r) {
    RowSet rows =
        market
            .lake()
            .read(
                new TableQuery(
                    m.table(),
                    Set.of(),
                    Optional.of(r.from()),
                    Optional.of(r.to()),
                    List.of("stage", "expectation", "reason")));
    return counts(rows, List.of("stage", "expectation", "reason"), "records");
  }

  private String freshnessTable(Target t) {
    String table = t.string(GrafanaMetrics.TABLE).orElse(TableCatalog.GOLD_BARS_1M.id());
    if (!table.startsWith("gold/") || !GrafanaMetrics.HOP_TABLES.containsKey(table)) {
      throw ServingRequestException.badRequest(
          "unknown table '" + table + "' for freshness; accepted: gold/bars_1m, gold/bars_1d");
    }
    return table;
  }

  private Set<String> dags(Target t) {
    List<String> asked = t.strings(GrafanaMetrics.DAG);
    if (asked.isEmpty()) {
      return Set.of();
    }
    List<String> known = pipeline.dagIds();
    for (String d : asked) {
      if (!known.contains(d)) {
        throw ServingRequestException.badRequest(
            "unknown DAG '" + d + "'; known DAGs: " + String.join(", ", known));
      }
    }
    return new LinkedHashSet<>(asked);
  }

  /** The target's symbols narrowed by the ad-hoc filters (both validated). */
  private Set<String> symbols(Target t, GrafanaRequest r) {
    Set<String> asked = market.requireSymbols(t.strings(GrafanaMetrics.SYMBOL));
    Set<String> filtered = market.requireSymbols(r.filterSymbols());
    if (filtered.isEmpty()) {
      return asked;
    }
    if (asked.isEmpty()) {
      return filtered;
    }
    Set<String> both = new LinkedHashSet<>(asked);
    both.retainAll(filtered);
    if (both.isEmpty()) {
      // No symbol is both asked and filtered: no rows, never "every symbol".
      throw new NoRows();
    }
    return both;
  }

  /** Thrown inside a target that can have no rows; answered as nothing. */
  private static final class NoRows extends RuntimeException {
    NoRows() {
      super(null, null, false, false);
    }
  }

  private List<Object> series(
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

  private List<Point> fold(
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
  private static Map<String, List<Point>> group(
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
  private static GrafanaTable counts(RowSet rows, List<String> keys, String countName) {
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

  private static GrafanaTable quantiles(String table, RowSet commits) {
    int at = commits.indexOf("freshness_s");
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

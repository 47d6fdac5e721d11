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
import java.util.ArrayList;
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
  private final GrafanaFrames frames;
  private final KafkaLag kafkaLag;
  private final Clock clock;

  public GrafanaQueries(
      MarketData market,
      GrafanaMetrics metrics,
      PipelineStats pipeline,
      CommitHistory commits,
      KafkaLag kafkaLag,
      int maxTableRows,
      Clock clock) {
    this.market = market;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.commits = commits;
    this.frames = new GrafanaFrames(maxTableRows);
    this.kafkaLag = kafkaLag;
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
        yield frames.series(
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
        yield List.of(frames.table(market.anomalies(interval, symbols(t, r), r.from(), r.to())));
      }
      case DAILY_COLUMN -> {
        RowSet rows =
            market.read(
                m.table(),
                symbols(t, r),
                r.from(),
                r.to(),
                List.of("symbol", "trading_date", m.column()));
        yield frames.series(
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
          List.of(frames.table(market.read(m.table(), symbols(t, r), r.from(), r.to(), List.of())));
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
        yield frames.series(rows, keys, time, m.column(), null, Fold.LAST, 1, r);
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
        yield frames.series(counted, List.of(), "time", "quarantined", null, Fold.SUM, 60_000L, r);
      }
      case QUARANTINE_REASONS -> List.of(quarantineReasons(m, r));
      case RUN_DURATION ->
          frames.series(
              pipeline.runs(r.from(), r.to(), dags(t)),
              List.of("dag_id"),
              "time",
              "duration_seconds",
              null,
              Fold.MAX,
              1,
              r);
      case TASK_DURATION ->
          frames.series(
              pipeline.tasks(r.from(), r.to(), dags(t)),
              List.of("dag_id", "task_id"),
              "time",
              "duration_seconds",
              null,
              Fold.MAX,
              1,
              r);
      case RUNS_BY_STATE ->
          List.of(
              GrafanaFrames.counts(
                  pipeline.runs(r.from(), r.to(), dags(t)), List.of("dag_id", "state"), "runs"));
      case TASK_STATES ->
          List.of(
              GrafanaFrames.counts(
                  pipeline.tasks(r.from(), r.to(), dags(t)),
                  List.of("dag_id", "task_id", "state"),
                  "tries"));
      case FRESHNESS -> {
        String table = freshnessTable(t);
        yield frames.series(
            commits.commits(table, GrafanaMetrics.HOP_TABLES.get(table), r.from(), r.to()),
            List.of("table"),
            "time",
            "freshness_seconds",
            null,
            Fold.MAX,
            1,
            r);
      }
      case FRESHNESS_QUANTILES -> {
        String table = freshnessTable(t);
        yield List.of(
            GrafanaFrames.quantiles(
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
              frames.series(
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
      case SCHEDULER_HEARTBEAT -> List.of(frames.table(pipeline.heartbeats(clock.instant())));
      case KAFKA_LAG -> List.of(frames.table(kafkaLag.lag()));
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
    return frames.series(
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
        GrafanaFrames.group(rows, List.of("symbol"), "bar_start", ohlcv).entrySet()) {
      for (Point p : GrafanaFrames.fold(e.getValue(), folds, -1, interval.millis(), r)) {
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
    return frames.series(mine, List.of("expectation"), "time", m.column(), null, Fold.SUM, 1, r);
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
    return GrafanaFrames.counts(rows, List.of("stage", "expectation", "reason"), "records");
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
    return pipeline.requireDags(t.strings(GrafanaMetrics.DAG));
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
}

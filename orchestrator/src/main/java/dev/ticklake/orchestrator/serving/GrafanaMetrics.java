package dev.ticklake.orchestrator.serving;

import dev.ticklake.orchestrator.api.GrafanaMetric;
import dev.ticklake.orchestrator.api.GrafanaMetric.Payload;
import dev.ticklake.orchestrator.api.GrafanaOption;
import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The metrics the Grafana API serves, named {@code <family>.<what>} ({@code market.close}, {@code
 * dq.failed}, {@code pipeline.freshness}, ...), with their payload options. Market and daily
 * metrics come from the catalog's Gold schemas, so every plottable Gold column is one; the ML
 * metrics ({@code predictions.*}, {@code backtests.*}) come from the schema those tables have in
 * the lake, and are listed only once they exist. Lookups of unknown names fail with a 400 that says
 * where the list is.
 */
public final class GrafanaMetrics {

  /** What a metric reads and how it answers. */
  public enum Family {
    BAR_COLUMN,
    BAR_INDICATOR,
    CANDLES,
    ANOMALY_COLUMN,
    ANOMALY_TABLE,
    DAILY_COLUMN,
    DAILY_TABLE,
    ML_COLUMN,
    ML_TABLE,
    DQ_COUNT,
    QUARANTINE_COUNT,
    QUARANTINE_REASONS,
    RUN_DURATION,
    TASK_DURATION,
    RUNS_BY_STATE,
    TASK_STATES,
    FRESHNESS,
    FRESHNESS_QUANTILES,
    ROWS_PER_HOP,
    SCHEDULER_HEARTBEAT,
    KAFKA_LAG
  }

  /**
   * A metric: its name, label, family, the table and column it reads (null when not one), the
   * column choices of an indicator with parameters ({@code period} → column), and its payloads.
   */
  public record Metric(
      String name,
      String label,
      Family family,
      String table,
      String column,
      Map<String, String> periods,
      List<Payload> payloads) {

    public boolean isTable() {
      return switch (family) {
        case CANDLES,
            ANOMALY_TABLE,
            DAILY_TABLE,
            ML_TABLE,
            QUARANTINE_REASONS,
            RUNS_BY_STATE,
            TASK_STATES,
            FRESHNESS_QUANTILES,
            SCHEDULER_HEARTBEAT ->
            true;
        default -> false;
      };
    }

    GrafanaMetric view() {
      return new GrafanaMetric(label, name, payloads);
    }
  }

  static final String SYMBOL = "symbol";
  static final String INTERVAL = "interval";
  static final String PERIOD = "period";
  static final String TABLE = "table";
  static final String EXPECTATION = "expectation";
  static final String DAG = "dag";

  /**
   * The tables whose commits pipeline metrics follow (one per hop), and their event-time column.
   */
  public static final Map<String, String> HOP_TABLES = hopTables();

  private static final Payload SYMBOLS =
      new Payload("Symbol", SYMBOL, "multi-select", "all symbols", false, null);
  private static final Payload INTERVALS =
      new Payload(
          "Interval",
          INTERVAL,
          "select",
          "1m",
          false,
          List.of(GrafanaOption.of("1m"), GrafanaOption.of("1d")));
  private static final Payload DAGS =
      new Payload("DAG", DAG, "multi-select", "all DAGs", false, null);

  private static final List<String> NOT_PLOTTED = List.of("symbol", "bar_start", "trade_date");
  private static final Pattern WITH_PERIOD = Pattern.compile("([a-z]+)_(\\d+)");

  private final Map<String, Metric> fixed;
  private final LakeReader lake;

  public GrafanaMetrics(LakeReader lake) {
    this.lake = lake;
    this.fixed = fixedMetrics();
  }

  /** Every metric, the ML ones only when their table exists; in a stable order. */
  public List<Metric> all() {
    List<Metric> out = new ArrayList<>(fixed.values());
    out.addAll(mlMetrics().values());
    return out;
  }

  /** The metric {@code name}; 400 when there is none. */
  public Metric require(String name) {
    Metric m = fixed.get(name);
    if (m == null) {
      m = mlMetrics().get(name);
    }
    if (m == null) {
      throw ServingRequestException.badRequest(
          "unknown metric '"
              + name
              + "'; POST /grafana/metrics lists the "
              + all().size()
              + " metrics, e.g. market.close, market.candles, dq.failed, pipeline.freshness");
    }
    return m;
  }

  public List<GrafanaMetric> views() {
    return all().stream().map(Metric::view).toList();
  }

  /** The tables with expectations whose data quality is recorded ({@code silver/ticks}). */
  static List<TableDef> qualityTables() {
    return TableCatalog.all().stream().filter(t -> !t.expectations().isEmpty()).toList();
  }

  /** The expectations of a table as {@code silver/dq_metrics} names them ({@code parse} first). */
  static List<String> expectations(TableDef table) {
    List<String> names = new ArrayList<>();
    names.add("parse");
    table.expectations().stream().map(Expectation::name).forEach(names::add);
    return names;
  }

  private static Map<String, String> hopTables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(TableCatalog.BRONZE_TICKS.id(), "kafka_ts");
    m.put(TableCatalog.SILVER_TICKS.id(), "ts");
    m.put(TableCatalog.GOLD_BARS_1M.id(), "bar_start");
    m.put(TableCatalog.GOLD_BARS_1D.id(), "bar_start");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<String, Metric> fixedMetrics() {
    Map<String, Metric> m = new LinkedHashMap<>();
    Map<String, Map<String, String>> periods = new TreeMap<>();
    for (Schema.Field f : TableCatalog.GOLD_BARS_1M.schema().getFields()) {
      if (NOT_PLOTTED.contains(f.name())) {
        continue;
      }
      add(
          m,
          "market." + f.name(),
          "Market: " + f.name(),
          Family.BAR_COLUMN,
          null,
          f.name(),
          Map.of(),
          List.of(SYMBOLS, INTERVALS));
      Matcher p = WITH_PERIOD.matcher(f.name());
      if (p.matches()) {
        periods.computeIfAbsent(p.group(1), k -> new LinkedHashMap<>()).put(p.group(2), f.name());
      }
    }
    periods.forEach(
        (indicator, byPeriod) -> {
          if (byPeriod.size() > 1) {
            List<GrafanaOption> options =
                byPeriod.keySet().stream().map(GrafanaOption::of).toList();
            add(
                m,
                "market." + indicator,
                "Market: " + indicator + " (choose the period)",
                Family.BAR_INDICATOR,
                null,
                null,
                byPeriod,
                List.of(
                    SYMBOLS,
                    INTERVALS,
                    new Payload(
                        "Period", PERIOD, "select", options.get(0).value(), false, options)));
          }
        });
    add(
        m,
        "market.candles",
        "Market: candles (time, symbol, open, high, low, close, volume)",
        Family.CANDLES,
        null,
        null,
        Map.of(),
        List.of(SYMBOLS, INTERVALS));
    for (String c : List.of("zscore", "log_return")) {
      add(
          m,
          "anomalies." + c,
          "Anomalies: " + c,
          Family.ANOMALY_COLUMN,
          TableCatalog.GOLD_ANOMALIES.id(),
          c,
          Map.of(),
          List.of(SYMBOLS, INTERVALS));
    }
    add(
        m,
        "anomalies.table",
        "Anomalies: every anomaly in the range",
        Family.ANOMALY_TABLE,
        TableCatalog.GOLD_ANOMALIES.id(),
        null,
        Map.of(),
        List.of(SYMBOLS, INTERVALS));
    for (Schema.Field f : TableCatalog.GOLD_DAILY_METRICS.schema().getFields()) {
      if (isNumber(f.schema())) {
        add(
            m,
            "daily." + f.name(),
            "Daily metrics: " + f.name(),
            Family.DAILY_COLUMN,
            TableCatalog.GOLD_DAILY_METRICS.id(),
            f.name(),
            Map.of(),
            List.of(SYMBOLS));
      }
    }
    add(
        m,
        "daily.table",
        "Daily metrics: rows",
        Family.DAILY_TABLE,
        TableCatalog.GOLD_DAILY_METRICS.id(),
        null,
        Map.of(),
        List.of(SYMBOLS));
    List<GrafanaOption> dqTables =
        qualityTables().stream().map(t -> GrafanaOption.of(t.id())).toList();
    Payload dqTable =
        new Payload("Table", TABLE, "select", dqTables.get(0).value(), true, dqTables);
    Payload expectation =
        new Payload("Expectation", EXPECTATION, "multi-select", "all expectations", false, null);
    for (String c : List.of("passed", "failed", "dropped")) {
      add(
          m,
          "dq." + c,
          "Data quality: rows " + c + " per expectation",
          Family.DQ_COUNT,
          TableCatalog.SILVER_DQ_METRICS.id(),
          c,
          Map.of(),
          List.of(dqTable, expectation));
    }
    add(
        m,
        "quarantine.count",
        "Data quality: quarantined records",
        Family.QUARANTINE_COUNT,
        TableCatalog.SILVER_QUARANTINE.id(),
        null,
        Map.of(),
        List.of());
    add(
        m,
        "quarantine.reasons",
        "Data quality: quarantined records by reason",
        Family.QUARANTINE_REASONS,
        TableCatalog.SILVER_QUARANTINE.id(),
        null,
        Map.of(),
        List.of());
    add(
        m,
        "pipeline.run_duration",
        "Pipeline: DAG run durations (s)",
        Family.RUN_DURATION,
        null,
        null,
        Map.of(),
        List.of(DAGS));
    add(
        m,
        "pipeline.task_duration",
        "Pipeline: task durations (s)",
        Family.TASK_DURATION,
        null,
        null,
        Map.of(),
        List.of(DAGS));
    add(
        m,
        "pipeline.runs_by_state",
        "Pipeline: runs per DAG and state",
        Family.RUNS_BY_STATE,
        null,
        null,
        Map.of(),
        List.of(DAGS));
    add(
        m,
        "pipeline.task_states",
        "Pipeline: task tries per DAG, task and state",
        Family.TASK_STATES,
        null,
        null,
        Map.of(),
        List.of(DAGS));
    List<GrafanaOption> hops = HOP_TABLES.keySet().stream().map(GrafanaOption::of).toList();
    Payload goldTable =
        new Payload(
            "Table",
            TABLE,
            "select",
            TableCatalog.GOLD_BARS_1M.id(),
            false,
            hops.subList(2, hops.size()));
    add(
        m,
        "pipeline.freshness",
        "Pipeline: freshness (Gold commit time - event time, s)",
        Family.FRESHNESS,
        null,
        null,
        Map.of(),
        List.of(goldTable));
    add(
        m,
        "pipeline.freshness_quantiles",
        "Pipeline: freshness p50 / p95 / max (s)",
        Family.FRESHNESS_QUANTILES,
        null,
        null,
        Map.of(),
        List.of(goldTable));
    add(
        m,
        "pipeline.rows_per_hop",
        "Pipeline: rows committed per table (per commit)",
        Family.ROWS_PER_HOP,
        null,
        null,
        Map.of(),
        List.of(new Payload("Tables", TABLE, "multi-select", "all hops", false, hops)));
    add(
        m,
        "pipeline.kafka_lag",
        "Pipeline: Kafka lag of Bronze per partition (end offset - next offset Bronze reads)",
        Family.KAFKA_LAG,
        null,
        null,
        Map.of(),
        List.of());
    add(
        m,
        "pipeline.scheduler_heartbeat",
        "Pipeline: scheduler heartbeats (age in s)",
        Family.SCHEDULER_HEARTBEAT,
        null,
        null,
        Map.of(),
        List.of());
    return m;
  }

  /** predictions.* and backtests.*: a table metric and a metric per numeric column. */
  private Map<String, Metric> mlMetrics() {
    Map<String, Metric> m = new LinkedHashMap<>();
    for (TableDef def : List.of(TableCatalog.GOLD_PREDICTIONS, TableCatalog.GOLD_BACKTESTS)) {
      String family = def.id().substring(def.id().indexOf('/') + 1);
      List<LakeReader.ColumnInfo> columns = lake.columns(def.id());
      if (columns.isEmpty()) {
        continue;
      }
      for (LakeReader.ColumnInfo c : columns) {
        if (c.kind() == LakeReader.Kind.NUMBER && !NOT_PLOTTED.contains(c.name())) {
          add(
              m,
              family + "." + c.name(),
              def.id() + ": " + c.name(),
              Family.ML_COLUMN,
              def.id(),
              c.name(),
              Map.of(),
              List.of(SYMBOLS));
        }
      }
      add(
          m,
          family + ".table",
          def.id() + ": rows",
          Family.ML_TABLE,
          def.id(),
          null,
          Map.of(),
          List.of(SYMBOLS));
    }
    return m;
  }

  private static void add(
      Map<String, Metric> m,
      String name,
      String label,
      Family family,
      String table,
      String column,
      Map<String, String> periods,
      List<Payload> payloads) {
    m.put(name, new Metric(name, label, family, table, column, periods, payloads));
  }

  private static boolean isNumber(Schema s) {
    Schema t = s;
    if (s.getType() == Schema.Type.UNION) {
      t = s.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL).findFirst().orElse(s);
    }
    if (t.getLogicalType() != null) {
      return false;
    }
    return switch (t.getType()) {
      case INT, LONG, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }

  /** The payload named {@code name} of {@code metric}, if it has one. */
  static Optional<Payload> payload(Metric metric, String name) {
    return metric.payloads().stream().filter(p -> p.name().equals(name)).findFirst();
  }
}

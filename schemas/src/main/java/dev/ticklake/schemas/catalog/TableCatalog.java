package dev.ticklake.schemas.catalog;

import static dev.ticklake.schemas.catalog.ExpectationAction.DROP;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Every table of the lake: its id, layer, Avro schema, partition and key columns, write mode and
 * expectations. The single place pipelines, the orchestrator and the dashboards look tables up.
 *
 * <p>Schemas are the {@code .avsc} resources under {@code tables/}, loaded once when this class
 * initialises. Initialisation validates everything: each {@link TableDef} checks itself (columns
 * exist, partition columns have partitionable types, ...) and the catalog checks that ids are
 * unique; a broken catalog fails at class-init with a message naming the table and the problem. All
 * members are immutable and thread-safe.
 */
public final class TableCatalog {

  // Declared first because static fields initialise in order and the tables below use it.
  // One Schema per resource: the two bar tables share theirs. Only touched during class-init.
  private static final Map<String, Schema> SCHEMAS = new HashMap<>();

  // The layout the per-symbol Gold series share: a partition per symbol and day, a row per bar.
  private static final String[] SYMBOL_AND_DATE = {"symbol", "trade_date"};
  private static final String[] SYMBOL_AND_BAR = {"symbol", "bar_start"};

  /** Raw Kafka records of {@code market.ticks}; unique by (topic, partition, offset). */
  public static final TableDef BRONZE_TICKS =
      table("bronze/ticks")
          .partitionedBy("ingest_date")
          .keyedBy("topic", "partition", "offset")
          .writtenAs(WriteMode.APPEND)
          .describedAs("Raw Kafka records of market.ticks, as received.");

  /** Typed, validated, de-duplicated trades and bars; with the default expectations. */
  public static final TableDef SILVER_TICKS =
      table("silver/ticks")
          .partitionedBy("trade_date")
          .keyedBy("symbol", "ts", "source")
          .writtenAs(WriteMode.UPSERT)
          .expecting(
              new Expectation("valid_symbol", "symbol MATCHES '^[A-Z][A-Z0-9.\\-]{0,14}$'", DROP),
              new Expectation("ts_not_in_future", "ts <= now() + INTERVAL 5 MINUTES", DROP),
              new Expectation(
                  "positive_prices", "open > 0 AND high > 0 AND low > 0 AND close > 0", DROP),
              new Expectation(
                  "consistent_ohlc",
                  "high >= greatest(open, close) AND low <= least(open, close)",
                  DROP),
              new Expectation("non_negative_volume", "volume >= 0", DROP))
          .describedAs("Typed, validated, de-duplicated market events (trades and bars).");

  /** Records that failed parsing or an expectation, with the reason. */
  public static final TableDef SILVER_QUARANTINE =
      table("silver/quarantine")
          .partitionedBy("quarantine_date")
          .writtenAs(WriteMode.APPEND)
          .describedAs("Records that failed parsing or an expectation, with the reason.");

  /** Pass/fail counts per batch and expectation. */
  public static final TableDef SILVER_DQ_METRICS =
      table("silver/dq_metrics")
          .partitionedBy("metric_date")
          .keyedBy("run_id", "table_id", "expectation")
          .writtenAs(WriteMode.APPEND)
          .describedAs("Data-quality counts per run, table and expectation.");

  /** One-minute OHLCV bars with indicators. */
  public static final TableDef GOLD_BARS_1M =
      table("gold/bars_1m", "gold/bars")
          .partitionedBy(SYMBOL_AND_DATE)
          .keyedBy(SYMBOL_AND_BAR)
          .writtenAs(WriteMode.REPLACE_PARTITIONS)
          .describedAs("One-minute OHLCV bars with VWAP, trade count and indicators.");

  /** Daily OHLCV bars with indicators (same schema as {@link #GOLD_BARS_1M}). */
  public static final TableDef GOLD_BARS_1D =
      table("gold/bars_1d", "gold/bars")
          .partitionedBy("symbol")
          .keyedBy(SYMBOL_AND_BAR)
          .writtenAs(WriteMode.REPLACE_PARTITIONS)
          .describedAs("Daily OHLCV bars with VWAP, trade count and indicators.");

  /** Z-score anomalies of log returns per symbol and bar. */
  public static final TableDef GOLD_ANOMALIES =
      table("gold/anomalies")
          .partitionedBy(SYMBOL_AND_DATE)
          .keyedBy("symbol", "interval", "bar_start")
          .writtenAs(WriteMode.REPLACE_PARTITIONS)
          .describedAs("Bars whose log return is a z-score outlier.");

  /** Average price and total volume per trading date and symbol. */
  public static final TableDef GOLD_DAILY_METRICS =
      table("gold/daily_metrics")
          .partitionedBy("trading_date")
          .keyedBy("trading_date", "symbol")
          .writtenAs(WriteMode.REPLACE_PARTITIONS)
          .describedAs("Average price and total volume per trading date and symbol.");

  /**
   * Internal: Gold's running aggregates per (symbol, date), so that a batch folds new Silver rows
   * into the day's bars instead of re-reading the day.
   */
  public static final TableDef GOLD_BAR_STATE =
      table("gold/bar_state")
          .partitionedBy("trade_date")
          .keyedBy("symbol", "trade_date")
          .writtenAs(WriteMode.REPLACE_PARTITIONS)
          .describedAs(
              "Internal: running daily and last-minute aggregates per symbol and date, for"
                  + " incremental Gold batches.");

  /**
   * Model features and next-bar labels per symbol, bar size and bar; a partition per bar size and
   * symbol, replaced whole when the symbol's Gold bars change.
   */
  public static final TableDef GOLD_FEATURES =
      table("gold/features")
          .partitionedBy("interval", "symbol")
          .keyedBy("symbol", "interval", "bar_start")
          .writtenAs(WriteMode.REPLACE_PARTITIONS)
          .describedAs("ML features (bars up to t only) and next-bar labels per symbol and bar.");

  /**
   * The model registry: a row per trained model with its out-of-sample and baseline metrics and
   * booster; upserted by model id only to move the champion flag.
   */
  public static final TableDef GOLD_MODELS =
      table("gold/models")
          .partitionedBy("kind")
          .keyedBy("model_id")
          .writtenAs(WriteMode.UPSERT)
          .describedAs("Registry of trained models: metrics, baselines, importance, booster.");

  /** Out-of-sample model scores per symbol and bar, with the realised outcome once known. */
  public static final TableDef GOLD_PREDICTIONS =
      table("gold/predictions")
          .partitionedBy("symbol")
          .keyedBy("model_id", "symbol", "interval", "bar_start")
          .writtenAs(WriteMode.UPSERT)
          .describedAs("Model scores per symbol and bar, with the realised outcome once known.");

  /** Strategy backtests: equity curve rows and a summary per strategy and symbol. */
  public static final TableDef GOLD_BACKTESTS =
      table("gold/backtests")
          .partitionedBy("created_date")
          .keyedBy("backtest_id", "strategy", "symbol", "row_kind", "bar_start")
          .writtenAs(WriteMode.APPEND)
          .describedAs("Out-of-sample strategy backtests: equity curves and summaries per symbol.");

  private static final List<TableDef> ALL =
      List.of(
          BRONZE_TICKS,
          SILVER_TICKS,
          SILVER_QUARANTINE,
          SILVER_DQ_METRICS,
          GOLD_BARS_1M,
          GOLD_BARS_1D,
          GOLD_ANOMALIES,
          GOLD_DAILY_METRICS,
          GOLD_BAR_STATE,
          GOLD_FEATURES,
          GOLD_MODELS,
          GOLD_PREDICTIONS,
          GOLD_BACKTESTS);

  private static final Map<String, TableDef> BY_ID = index(ALL);

  private TableCatalog() {}

  /** Every table, Bronze first, in a fixed order; unmodifiable. */
  public static List<TableDef> all() {
    return ALL;
  }

  /**
   * The table with catalog id {@code id}, e.g. {@code "silver/ticks"}.
   *
   * @throws IllegalArgumentException if there is none; the message lists the known ids
   */
  public static TableDef byId(String id) {
    TableDef table = BY_ID.get(id);
    if (table == null) {
      throw new IllegalArgumentException(
          "unknown table id '" + id + "' (known: " + String.join(", ", BY_ID.keySet()) + ")");
    }
    return table;
  }

  /** Indexes the tables by id; fails on a repeated id (keeps declaration order). */
  static Map<String, TableDef> index(List<TableDef> tables) {
    Map<String, TableDef> byId = new LinkedHashMap<>();
    for (TableDef table : tables) {
      if (byId.putIfAbsent(table.id(), table) != null) {
        throw new IllegalStateException("table id '" + table.id() + "' is declared twice");
      }
    }
    return Collections.unmodifiableMap(byId);
  }

  /** Reads one {@code .avsc} resource from this module's classpath. */
  static Schema loadSchema(String resource) {
    try (InputStream in = TableCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("table schema resource '" + resource + "' is missing");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException | SchemaParseException e) {
      throw new IllegalStateException("cannot read table schema '" + resource + "': " + e, e);
    }
  }

  /** The table {@code id}, with the schema {@code tables/<id>.avsc}. */
  private static Builder table(String id) {
    return table(id, id);
  }

  /**
   * The table {@code id} (its layer is the id's first segment), with the schema {@code
   * tables/<schemaName>.avsc}.
   */
  private static Builder table(String id, String schemaName) {
    Layer layer = Layer.valueOf(id.substring(0, id.indexOf('/')).toUpperCase(Locale.ROOT));
    String resource = "tables/" + schemaName + ".avsc";
    return new Builder(id, layer, SCHEMAS.computeIfAbsent(resource, TableCatalog::loadSchema));
  }

  /** Reads the table constants above like a sentence; only used during class initialisation. */
  private record Builder(
      String id,
      Layer layer,
      Schema schema,
      List<String> partitionColumns,
      List<String> keyColumns,
      WriteMode writeMode,
      List<Expectation> expectations) {

    Builder(String id, Layer layer, Schema schema) {
      this(id, layer, schema, List.of(), List.of(), null, List.of());
    }

    Builder partitionedBy(String... columns) {
      return new Builder(id, layer, schema, List.of(columns), keyColumns, writeMode, expectations);
    }

    Builder keyedBy(String... columns) {
      return new Builder(
          id, layer, schema, partitionColumns, List.of(columns), writeMode, expectations);
    }

    Builder writtenAs(WriteMode mode) {
      return new Builder(id, layer, schema, partitionColumns, keyColumns, mode, expectations);
    }

    Builder expecting(Expectation... rules) {
      return new Builder(
          id, layer, schema, partitionColumns, keyColumns, writeMode, List.of(rules));
    }

    TableDef describedAs(String description) {
      return new TableDef(
          id,
          layer,
          id,
          schema,
          partitionColumns,
          keyColumns,
          writeMode,
          expectations,
          description);
    }
  }
}

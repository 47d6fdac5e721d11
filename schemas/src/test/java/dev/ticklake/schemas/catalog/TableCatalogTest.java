package dev.ticklake.schemas.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableCatalogTest {
  private static final String ALL_IDS =
      "bronze/ticks, silver/ticks, silver/quarantine, silver/dq_metrics, gold/bars_1m,"
          + " gold/bars_1d, gold/anomalies, gold/daily_metrics, gold/bar_state,"
          + " gold/features, gold/models,"
          + " gold/predictions, gold/backtests";

  /** "name:type" per column, type being the logical type if any, with "?" when nullable. */
  static List<String> columns(TableDef table) {
    return table.schema().getFields().stream()
        .map(field -> field.name() + ":" + typeName(field.schema()))
        .toList();
  }

  private static String typeName(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      assertThat(schema.getTypes()).hasSize(2);
      assertThat(schema.getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
      return typeName(schema.getTypes().get(1)) + "?";
    }
    return schema.getLogicalType() != null
        ? schema.getLogicalType().getName()
        : schema.getType().getName();
  }

  @Test
  void listsEveryTableOnceInLayerOrder() {
    assertThat(TableCatalog.all().stream().map(TableDef::id).toList())
        .containsExactly(ALL_IDS.split(", "));
    assertThat(TableCatalog.all())
        .allSatisfy(
            table -> {
              assertThat(table.path()).isEqualTo(table.id());
              assertThat(table.id()).startsWith(table.layer().directory() + "/");
              assertThat(table.schema().getNamespace()).isEqualTo("dev.ticklake.tables");
              assertThat(TableCatalog.byId(table.id())).isSameAs(table);
              assertThat(table.description()).isNotBlank();
            });
  }

  @Test
  void bronzeTicksHasExactlyTheContractColumns() {
    TableDef table = TableCatalog.BRONZE_TICKS;

    assertThat(table.schema().getName()).isEqualTo("BronzeTick");
    assertThat(table.columnNames())
        .containsExactly(
            "value", "key", "topic", "partition", "offset", "kafka_ts", "ingest_ts", "ingest_date");
    assertThat(columns(table))
        .containsExactly(
            "value:bytes?",
            "key:bytes?",
            "topic:string",
            "partition:int",
            "offset:long",
            "kafka_ts:timestamp-micros?",
            "ingest_ts:timestamp-micros",
            "ingest_date:date");
    assertThat(table.layer()).isEqualTo(Layer.BRONZE);
    assertThat(table.partitionColumns()).containsExactly("ingest_date");
    assertThat(table.keyColumns()).containsExactly("topic", "partition", "offset");
    assertThat(table.writeMode()).isEqualTo(WriteMode.APPEND);
    assertThat(table.expectations()).isEmpty();
  }

  @Test
  void silverTicksHasExactlyTheContractColumnsAndDefaultExpectations() {
    TableDef table = TableCatalog.SILVER_TICKS;

    assertThat(table.schema().getName()).isEqualTo("SilverTick");
    assertThat(table.columnNames())
        .containsExactly(
            "symbol",
            "ts",
            "kind",
            "interval",
            "open",
            "high",
            "low",
            "close",
            "volume",
            "source",
            "event_id",
            "ingest_ts",
            "trade_date");
    assertThat(columns(table))
        .containsExactly(
            "symbol:string",
            "ts:timestamp-micros",
            "kind:string",
            "interval:string?",
            "open:double",
            "high:double",
            "low:double",
            "close:double",
            "volume:long",
            "source:string",
            "event_id:string",
            "ingest_ts:timestamp-micros",
            "trade_date:date");
    assertThat(table.layer()).isEqualTo(Layer.SILVER);
    assertThat(table.partitionColumns()).containsExactly("trade_date");
    assertThat(table.keyColumns()).containsExactly("symbol", "ts", "source");
    assertThat(table.writeMode()).isEqualTo(WriteMode.UPSERT);
    assertThat(table.expectations())
        .containsExactly(
            new Expectation(
                "valid_symbol",
                "symbol MATCHES '^[A-Z][A-Z0-9.\\-]{0,14}$'",
                ExpectationAction.DROP),
            new Expectation(
                "ts_not_in_future", "ts <= now() + INTERVAL 5 MINUTES", ExpectationAction.DROP),
            new Expectation(
                "positive_prices",
                "open > 0 AND high > 0 AND low > 0 AND close > 0",
                ExpectationAction.DROP),
            new Expectation(
                "consistent_ohlc",
                "high >= greatest(open, close) AND low <= least(open, close)",
                ExpectationAction.DROP),
            new Expectation("non_negative_volume", "volume >= 0", ExpectationAction.DROP));
  }

  @Test
  void theValidSymbolRuleHoldsAUsableRegex() {
    String rule = TableCatalog.SILVER_TICKS.expectations().get(0).rule();
    java.util.regex.Pattern symbol =
        java.util.regex.Pattern.compile(rule.substring(rule.indexOf('\'') + 1, rule.length() - 1));

    assertThat(List.of("AAPL", "BRK.B", "BF-B", "X", "A2345678901234X"))
        .allMatch(s -> symbol.matcher(s).matches());
    assertThat(List.of("aapl", "1ABC", "", "A23456789012345X", "AA PL", "AAPL\\"))
        .noneMatch(s -> symbol.matcher(s).matches());
  }

  @Test
  void everyTableHasItsPartitionKeysAndWriteMode() {
    assertThat(
            TableCatalog.all().stream()
                .map(
                    t ->
                        t.id()
                            + " p="
                            + t.partitionColumns()
                            + " k="
                            + t.keyColumns()
                            + " "
                            + t.writeMode())
                .toList())
        .containsExactly(
            "bronze/ticks p=[ingest_date] k=[topic, partition, offset] APPEND",
            "silver/ticks p=[trade_date] k=[symbol, ts, source] UPSERT",
            "silver/quarantine p=[quarantine_date] k=[] APPEND",
            "silver/dq_metrics p=[metric_date] k=[run_id, table_id, expectation] APPEND",
            "gold/bars_1m p=[symbol, trade_date] k=[symbol, bar_start] REPLACE_PARTITIONS",
            "gold/bars_1d p=[symbol] k=[symbol, bar_start] REPLACE_PARTITIONS",
            "gold/anomalies p=[symbol, trade_date] k=[symbol, interval, bar_start]"
                + " REPLACE_PARTITIONS",
            "gold/daily_metrics p=[trading_date] k=[trading_date, symbol] REPLACE_PARTITIONS",
            "gold/bar_state p=[trade_date] k=[symbol, trade_date] REPLACE_PARTITIONS",
            "gold/features p=[interval, symbol] k=[symbol, interval, bar_start]"
                + " REPLACE_PARTITIONS",
            "gold/models p=[kind] k=[model_id] UPSERT",
            "gold/predictions p=[symbol] k=[model_id, symbol, interval, bar_start] UPSERT",
            "gold/backtests p=[created_date] k=[backtest_id, strategy, symbol, row_kind,"
                + " bar_start] APPEND");
  }

  @Test
  void onlySilverTicksDeclaresExpectationsForNow() {
    assertThat(TableCatalog.all().stream().filter(t -> !t.expectations().isEmpty()))
        .containsExactly(TableCatalog.SILVER_TICKS);
  }

  @Test
  void theBarTablesShareOneSchema() {
    assertThat(TableCatalog.GOLD_BARS_1M.schema()).isSameAs(TableCatalog.GOLD_BARS_1D.schema());
    assertThat(TableCatalog.GOLD_BARS_1M.schema().getName()).isEqualTo("Bar");
  }

  @Test
  void byIdNamesTheKnownIdsWhenTheIdIsUnknown() {
    assertThat(TableCatalog.byId("gold/anomalies")).isSameAs(TableCatalog.GOLD_ANOMALIES);
    assertThatThrownBy(() -> TableCatalog.byId("silver/tick"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown table id 'silver/tick' (known: " + ALL_IDS + ")");
  }

  @Test
  void indexRejectsARepeatedId() {
    assertThatThrownBy(
            () -> TableCatalog.index(List.of(TableCatalog.GOLD_MODELS, TableCatalog.GOLD_MODELS)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("table id 'gold/models' is declared twice");
  }

  @Test
  void theCatalogIsUnmodifiable() {
    assertThatThrownBy(() -> TableCatalog.all().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> TableCatalog.SILVER_TICKS.keyColumns().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "./lake, ./lake/silver/ticks",
    "./lake/, ./lake/silver/ticks",
    "/abs/lake, /abs/lake/silver/ticks",
    "/abs/lake//, /abs/lake/silver/ticks",
    "file:/x, file:/x/silver/ticks",
    "file:/x/, file:/x/silver/ticks",
    "file:///x, file:///x/silver/ticks",
    "hdfs://nn:8020/lake, hdfs://nn:8020/lake/silver/ticks",
    "hdfs://nn:8020/lake/, hdfs://nn:8020/lake/silver/ticks",
    "s3a://bucket/lake, s3a://bucket/lake/silver/ticks",
    "s3a://bucket/lake/, s3a://bucket/lake/silver/ticks",
    "s3a://bucket, s3a://bucket/silver/ticks",
    "s3a://bucket/, s3a://bucket/silver/ticks",
    "lake, lake/silver/ticks",
    "/, /silver/ticks",
  })
  void locationJoinsRootAndPathWithOneSlash(String root, String expected) {
    assertThat(TableCatalog.SILVER_TICKS.location(root)).isEqualTo(expected);
  }

  @Test
  void locationRejectsAnEmptyRoot() {
    assertThatThrownBy(() -> TableCatalog.SILVER_TICKS.location(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lake root is empty; pass a directory or URI such as ./lake or s3a://bucket/lake");
  }

  @Test
  void tableDefinitionsSurviveJavaSerialization() throws Exception {
    for (TableDef table : TableCatalog.all()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(table);
      }
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        assertThat(in.readObject()).isEqualTo(table);
      }
    }
  }
}

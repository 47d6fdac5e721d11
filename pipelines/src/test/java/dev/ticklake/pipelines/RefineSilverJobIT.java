package dev.ticklake.pipelines;

import static dev.ticklake.pipelines.SilverLake.dqRow;
import static dev.ticklake.pipelines.SilverLake.quarantineRow;
import static dev.ticklake.pipelines.SilverLake.rec;
import static dev.ticklake.pipelines.SilverLake.silverRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.pipelines.SilverLake.Rec;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.silver.ExpectationFailedException;
import dev.ticklake.transforms.silver.RefineSilver;
import io.delta.standalone.actions.AddFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RefineSilverJob on the DirectRunner against Bronze tables written here; exact rows via Kernel.
 */
class RefineSilverJobIT {
  static final Instant INGEST_1 = Instant.parse("2026-11-20T14:31:00Z");
  static final Instant INGEST_2 = Instant.parse("2026-11-20T14:32:00Z");
  static final String SYMBOL_PATTERN = "'^[A-Z][A-Z0-9.\\-]{0,14}$'";

  @TempDir Path dir;

  /** MarketEvent.deterministicId, computed independently from its documented definition. */
  static String deterministicId(String identity) throws Exception {
    byte[] sha =
        MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha, 0, 16);
  }

  @Test
  void tradesAndBarsBecomeTypedSilverRows() throws Exception {
    SilverLake lake = new SilverLake(dir);
    lake.appendBronze(
        INGEST_1,
        rec(
            0,
            0,
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00.123Z\",\"price\":187.12,\"volume\":300}"),
        rec(
            0,
            1,
            "{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T09:30:00-05:00\",\"interval\":\"5min\","
                + "\"open\":410.5,\"high\":411.25,\"low\":410.0,\"close\":411.0,\"volume\":12000,"
                + "\"source\":\"alphavantage\",\"event_id\":\"av-1\"}"),
        rec(
            1,
            0,
            "{\"symbol\":\"BRK.B\",\"ts\":1795132799999,\"price\":455.5,\"volume\":7,"
                + "\"source\":\"synthetic\",\"event_id\":\"e-3\",\"extra\":{\"ignored\":[1,2]}}"),
        rec(
            1,
            1,
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00Z\",\"interval\":\"1min\","
                + "\"open\":187.0,\"high\":187.5,\"low\":186.9,\"close\":187.2,\"volume\":12000,"
                + "\"source\":\"yahoo\"}"),
        rec(
            1,
            2,
            "{\"symbol\":\"SPY\",\"ts\":\"2026-11-19T00:00:00Z\",\"interval\":\"1d\","
                + "\"open\":600,\"high\":605.5,\"low\":598.25,\"close\":601,\"volume\":1.0E6}"));

    RefineSilverJob.Result result = lake.refine();

    assertThat(result.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(result.batch().batchId()).isEqualTo("bronze/ticks(-1,0]");
    assertThat(lake.silver())
        .containsExactlyInAnyOrder(
            silverRow(
                "AAPL",
                "2026-11-20T14:30:00.123Z",
                "trade",
                null,
                187.12,
                187.12,
                187.12,
                187.12,
                300,
                "",
                deterministicId("AAPL|2026-11-20T14:30:00.123Z|trade||"),
                INGEST_1,
                "2026-11-20"),
            silverRow(
                "MSFT",
                "2026-11-20T14:30:00Z",
                "bar",
                "5min",
                410.5,
                411.25,
                410.0,
                411.0,
                12000,
                "alphavantage",
                "av-1",
                INGEST_1,
                "2026-11-20"),
            silverRow(
                "BRK.B",
                "2026-11-19T23:59:59.999Z",
                "trade",
                null,
                455.5,
                455.5,
                455.5,
                455.5,
                7,
                "synthetic",
                "e-3",
                INGEST_1,
                "2026-11-19"),
            silverRow(
                "AAPL",
                "2026-11-20T14:30:00Z",
                "bar",
                "1min",
                187.0,
                187.5,
                186.9,
                187.2,
                12000,
                "yahoo",
                deterministicId("AAPL|2026-11-20T14:30:00Z|bar|1min|yahoo"),
                INGEST_1,
                "2026-11-20"),
            silverRow(
                "SPY",
                "2026-11-19T00:00:00Z",
                "bar",
                "1d",
                600.0,
                605.5,
                598.25,
                601.0,
                1_000_000,
                "",
                deterministicId("SPY|2026-11-19T00:00:00Z|bar|1d|"),
                INGEST_1,
                "2026-11-19"));
    assertThat(lake.quarantine()).isEmpty();
    String b = "bronze/ticks(-1,0]";
    assertThat(lake.dqMetrics())
        .containsExactlyInAnyOrder(
            dqRow(b, "parse", "drop", 5, 0, 0),
            dqRow(b, "valid_symbol", "drop", 5, 0, 0),
            dqRow(b, "ts_not_in_future", "drop", 5, 0, 0),
            dqRow(b, "positive_prices", "drop", 5, 0, 0),
            dqRow(b, "consistent_ohlc", "drop", 5, 0, 0),
            dqRow(b, "non_negative_volume", "drop", 5, 0, 0));
    assertTxns(lake, 0);
  }

  /** Every fault at once; numbers in comments are (Kafka partition/offset). */
  static Rec[] faults(long offsetShift) {
    long s = offsetShift;
    String good =
        "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:01Z\",\"price\":100.0,\"volume\":10,\"source\":\"s\"}";
    return new Rec[] {
      rec(0, s, good),
      rec(0, s + 1, good), // exact duplicate
      rec(1, s, good.replace("100.0", "100.5")), // same key, later in Bronze: loses
      rec(
          0,
          s + 2,
          "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:29:00Z\",\"price\":99.0,\"volume\":5,\"source\":\"s\"}"),
      rec(0, s + 3, "{\"symbol\":\"AAPL\""), // malformed JSON
      rec(
          0,
          s + 4,
          "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00Z\",\"volume\":5}"), // no price
      rec(
          1,
          s + 1,
          "{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":0.0,\"volume\":1}"),
      rec(
          1,
          s + 2,
          "{\"symbol\":\"aapl\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":1.0,\"volume\":1}"),
      rec(
          1,
          s + 3,
          "{\"symbol\":\"TSLA\",\"ts\":\"2026-11-20T14:35:00.000001Z\",\"price\":250.0,\"volume\":3}"),
      rec(
          1,
          s + 4,
          "{\"symbol\":\"TSLA\",\"ts\":\"2026-11-20T14:35:00Z\",\"price\":250.0,\"volume\":3}"),
      rec(
          1,
          s + 5,
          "{\"symbol\":\"NVDA\",\"ts\":\"2026-11-20T14:30:00Z\",\"interval\":\"1min\",\"open\":10.0,\"high\":9.0,\"low\":8.0,\"close\":9.5,\"volume\":100}"),
      rec(
          1,
          s + 6,
          "{\"symbol\":\"bad sym\",\"ts\":\"2026-11-20T14:30:00Z\",\"interval\":\"1min\",\"open\":1.0,\"high\":2.0,\"low\":0.5,\"close\":1.5,\"volume\":-5}"),
      rec(2, s, null), // tombstone
      rec(
          2,
          s + 1,
          "{\"symbol\":\"AMD\",\"ts\":\"2026-11-20T14:30:00Z\",\"interval\":\"1min\",\"open\":1.0,\"high\":2.0,\"low\":-1.0,\"close\":1.5,\"volume\":1}"),
    };
  }

  static List<Map<String, Object>> faultQuarantine(Rec[] r, long version, String batch) {
    return List.of(
        quarantineRow(
            r[4].value(),
            version,
            0,
            r[4].offset(),
            "parse",
            null,
            "not valid JSON at line 1 column 17: Unexpected end-of-input: expected close marker"
                + " for Object (start marker at [line: 1, column: 1])",
            batch),
        quarantineRow(
            r[5].value(), version, 0, r[5].offset(), "parse", null, "missing field 'price'", batch),
        quarantineRow(
            r[6].value(),
            version,
            1,
            r[6].offset(),
            "expectation",
            "positive_prices",
            "open 0.0 must be > 0",
            batch),
        quarantineRow(
            r[7].value(),
            version,
            1,
            r[7].offset(),
            "expectation",
            "valid_symbol",
            "symbol 'aapl' must match " + SYMBOL_PATTERN,
            batch),
        quarantineRow(
            r[8].value(),
            version,
            1,
            r[8].offset(),
            "expectation",
            "ts_not_in_future",
            "ts 2026-11-20T14:35:00.000001Z must be <= now() + INTERVAL 5 MINUTES"
                + " (2026-11-20T14:35:00Z)",
            batch),
        quarantineRow(
            r[10].value(),
            version,
            1,
            r[10].offset(),
            "expectation",
            "consistent_ohlc",
            "high 9.0 must be >= greatest(open, close) (10.0)",
            batch),
        quarantineRow(
            r[11].value(),
            version,
            1,
            r[11].offset(),
            "expectation",
            "valid_symbol",
            "symbol 'bad sym' must match "
                + SYMBOL_PATTERN
                + " (also failed non_negative_volume: volume -5 must be >= 0)",
            batch),
        quarantineRow(null, version, 2, r[12].offset(), "parse", null, "empty payload", batch),
        quarantineRow(
            r[13].value(),
            version,
            2,
            r[13].offset(),
            "expectation",
            "positive_prices",
            "low -1.0 must be > 0",
            batch));
  }

  static List<Map<String, Object>> faultMetrics(String b) {
    return List.of(
        dqRow(b, "parse", "drop", 11, 3, 3),
        dqRow(b, "valid_symbol", "drop", 9, 2, 2),
        dqRow(b, "ts_not_in_future", "drop", 10, 1, 1),
        dqRow(b, "positive_prices", "drop", 9, 2, 2),
        dqRow(b, "consistent_ohlc", "drop", 10, 1, 1),
        dqRow(b, "non_negative_volume", "drop", 10, 1, 1));
  }

  @Test
  void faultsAreQuarantinedCountedAndDeduplicatedAndReplaysChangeNoSilverRow() throws Exception {
    SilverLake lake = new SilverLake(dir);
    Rec[] first = faults(0);
    lake.appendBronze(INGEST_1, first);

    RefineSilverJob.Result one = lake.refine();

    List<Map<String, Object>> expectedSilver =
        List.of(
            silverRow(
                "AAPL",
                "2026-11-20T14:30:01Z",
                "trade",
                null,
                100.0,
                100.0,
                100.0,
                100.0,
                10,
                "s",
                deterministicId("AAPL|2026-11-20T14:30:01Z|trade||s"),
                INGEST_1,
                "2026-11-20"),
            silverRow(
                "AAPL",
                "2026-11-20T14:29:00Z",
                "trade",
                null,
                99.0,
                99.0,
                99.0,
                99.0,
                5,
                "s",
                deterministicId("AAPL|2026-11-20T14:29:00Z|trade||s"),
                INGEST_1,
                "2026-11-20"),
            silverRow(
                "TSLA",
                "2026-11-20T14:35:00Z",
                "trade",
                null,
                250.0,
                250.0,
                250.0,
                250.0,
                3,
                "",
                deterministicId("TSLA|2026-11-20T14:35:00Z|trade||"),
                INGEST_1,
                "2026-11-20"));
    assertThat(lake.silver()).containsExactlyInAnyOrderElementsOf(expectedSilver);
    assertThat(lake.quarantine())
        .containsExactlyInAnyOrderElementsOf(faultQuarantine(first, 0, "bronze/ticks(-1,0]"));
    assertThat(lake.dqMetrics())
        .containsExactlyInAnyOrderElementsOf(faultMetrics("bronze/ticks(-1,0]"));
    assertThat(one.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(one.bronzeRows()).isEqualTo(14);
    assertThat(one.quarantinedRows()).isEqualTo(9);
    assertThat(one.duplicateRows()).isEqualTo(2);
    assertThat(one.silverRowsWritten()).isEqualTo(3);
    assertThat(one.failedByExpectation())
        .containsExactly(
            Map.entry("parse", 3L),
            Map.entry("valid_symbol", 2L),
            Map.entry("ts_not_in_future", 1L),
            Map.entry("positive_prices", 2L),
            Map.entry("consistent_ohlc", 1L),
            Map.entry("non_negative_volume", 1L));

    // The producer re-sends everything: new Bronze records, same payloads, later ingest.
    Rec[] replay = faults(100);
    lake.appendBronze(INGEST_2, replay);
    RefineSilverJob.Result two = lake.refine();

    assertThat(two.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(two.silverRowsWritten()).isZero();
    assertThat(lake.silver())
        .as("existing rows win")
        .containsExactlyInAnyOrderElementsOf(expectedSilver);
    List<Map<String, Object>> quarantined =
        new ArrayList<>(faultQuarantine(first, 0, "bronze/ticks(-1,0]"));
    quarantined.addAll(faultQuarantine(replay, 1, "bronze/ticks(0,1]"));
    assertThat(lake.quarantine())
        .as("each Bronze record is accounted for")
        .containsExactlyInAnyOrderElementsOf(quarantined);
    List<Map<String, Object>> metrics = new ArrayList<>(faultMetrics("bronze/ticks(-1,0]"));
    metrics.addAll(faultMetrics("bronze/ticks(0,1]"));
    assertThat(lake.dqMetrics()).containsExactlyInAnyOrderElementsOf(metrics);
    assertTxns(lake, 1);
  }

  @Test
  void aFailExpectationCommitsNothingAnywhereAndNamesTheRecord() {
    SilverLake lake = new SilverLake(dir);
    lake.appendBronze(
        INGEST_1,
        rec(
            0,
            0,
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":1.5,\"volume\":1}"));
    lake.refine();
    String bad = "{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":0.0,\"volume\":1}";
    lake.appendBronze(
        INGEST_2,
        rec(
            0,
            1,
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:02Z\",\"price\":1.5,\"volume\":1}"),
        rec(1, 7, bad),
        rec(1, 8, "{\"symbol\":\"AAPL\""));
    List<TableDef> tables =
        List.of(
            TableCatalog.SILVER_TICKS,
            TableCatalog.SILVER_QUARANTINE,
            TableCatalog.SILVER_DQ_METRICS);
    Map<TableDef, Long> versions = new java.util.HashMap<>();
    Map<TableDef, List<String>> files = new java.util.HashMap<>();
    Map<TableDef, List<Map<String, Object>>> rows = new java.util.HashMap<>();
    for (TableDef t : tables) {
      versions.put(t, lake.version(t));
      files.put(t, files(lake, t));
      rows.put(t, lake.rows(t, t.columnNames().get(0)));
    }

    assertThatThrownBy(() -> lake.refine("--expectationAction=positive_prices=fail"))
        .isInstanceOfSatisfying(
            ExpectationFailedException.class,
            e -> {
              assertThat(e.expectation()).isEqualTo("positive_prices");
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Expectation 'positive_prices' (action fail) of silver/ticks failed: open 0.0"
                          + " must be > 0. Record: bronze/ticks partition 1, offset 7, payload "
                          + bad
                          + " (batch bronze/ticks(0,1]). Nothing was committed to any table. Fix"
                          + " the producer or the data, or change the action, e.g."
                          + " --expectationAction=positive_prices=drop");
            });

    for (TableDef t : tables) {
      assertThat(lake.version(t)).as(t.id() + " version").isEqualTo(versions.get(t));
      assertThat(files(lake, t)).as(t.id() + " files").isEqualTo(files.get(t));
      assertThat(lake.rows(t, t.columnNames().get(0))).as(t.id() + " rows").isEqualTo(rows.get(t));
    }
    assertTxns(lake, 0);

    RefineSilverJob.Result dropped = lake.refine("--expectationAction=positive_prices=drop");
    assertThat(dropped.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(dropped.quarantinedRows()).isEqualTo(2);
    assertTxns(lake, 1);
  }

  @Test
  void eachBatchReadsOnlyTheNewBronzeVersionsAndNothingNewRunsNoPipeline() {
    SilverLake lake = new SilverLake(dir);
    String t = "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:2%d:00Z\",\"price\":%d.0,\"volume\":1}";
    lake.appendBronze(
        INGEST_1, rec(0, 0, String.format(t, 0, 10)), rec(0, 1, String.format(t, 1, 11)));
    RefineSilverJob.Result one = lake.refine();
    assertThat(one.batch().batchId()).isEqualTo("bronze/ticks(-1,0]");
    assertTxns(lake, 0);

    lake.appendBronze(INGEST_2, rec(0, 2, String.format(t, 2, 12)));
    lake.appendBronze(INGEST_2, rec(0, 3, String.format(t, 3, 13)), rec(0, 4, "not json"));
    RefineSilverJob.Result two = lake.refine();

    assertThat(two.batch().fromExclusive()).isEqualTo(0);
    assertThat(two.batch().toInclusive()).isEqualTo(2);
    assertThat(two.bronzeRows()).as("only versions 1 and 2").isEqualTo(3);
    assertThat(two.silverRowsWritten()).isEqualTo(2);
    assertThat(lake.silver())
        .extracting(r -> r.get("close"), r -> r.get("ingest_ts"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(10.0, INGEST_1),
            org.assertj.core.groups.Tuple.tuple(11.0, INGEST_1),
            org.assertj.core.groups.Tuple.tuple(12.0, INGEST_2),
            org.assertj.core.groups.Tuple.tuple(13.0, INGEST_2));
    assertThat(lake.quarantine())
        .containsExactly(
            quarantineRow(
                "not json",
                2,
                0,
                4,
                "parse",
                null,
                "not valid JSON at line 1 column 1: Unrecognized token 'not': was expecting (JSON"
                    + " String, Number, Array, Object or token 'null', 'true' or 'false')",
                "bronze/ticks(0,2]"));
    assertTxns(lake, 2);

    long silverVersion = lake.version(TableCatalog.SILVER_TICKS);
    RefineSilverJob.Result three = lake.refine();
    assertThat(three.status()).isEqualTo(BatchStatus.NOTHING_NEW);
    assertThat(three.toString())
        .isEqualTo("silver/ticks: bronze/ticks has nothing new; nothing committed");
    assertThat(lake.version(TableCatalog.SILVER_TICKS)).isEqualTo(silverVersion);
  }

  @Test
  void badOptionsFailBeforeAnythingRuns() {
    SilverLake lake = new SilverLake(dir);
    lake.appendBronze(INGEST_1, rec(0, 0, "{}"));
    assertThatThrownBy(() -> lake.refine("--expectationAction=no_such=fail"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "silver/ticks has no expectation 'no_such' (expectations: valid_symbol,"
                + " ts_not_in_future, positive_prices, consistent_ohlc, non_negative_volume)");
    assertThatThrownBy(() -> lake.refine("--expectationAction=positive_prices=maybe"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--expectationAction 'positive_prices=maybe' must be <expectation>=<warn|drop|fail>,"
                + " e.g. positive_prices=fail");
    assertThat(lake.version(TableCatalog.SILVER_TICKS)).isEqualTo(-1);
  }

  static List<String> files(SilverLake lake, TableDef t) {
    return DeltaTable.at(t.location(lake.lake())).filesAt(-1).stream()
        .map(AddFile::getPath)
        .sorted()
        .toList();
  }

  static void assertTxns(SilverLake lake, long version) {
    assertThat(lake.txn(TableCatalog.SILVER_TICKS, RefineSilver.SILVER_APP_ID)).isEqualTo(version);
    assertThat(lake.txn(TableCatalog.SILVER_QUARANTINE, RefineSilver.QUARANTINE_APP_ID))
        .isEqualTo(version);
    assertThat(lake.txn(TableCatalog.SILVER_DQ_METRICS, RefineSilver.DQ_METRICS_APP_ID))
        .isEqualTo(version);
  }
}

package dev.ticklake.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.testing.StandaloneTradeTable.Trade;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that Delta Kernel 4.4 reads, row for row, a table written with parquet-avro 1.16 and
 * delta-standalone 3.3.2 — the combination our production writer uses.
 *
 * <p>Compatibility facts this test pins down (keep them true in the production writer):
 *
 * <ul>
 *   <li>Timestamps: Avro {@code timestamp-micros} → Parquet INT64 {@code TIMESTAMP(MICROS,
 *       isAdjustedToUTC=true)}; delta-standalone's {@code TimestampType} is Delta {@code timestamp}
 *       (UTC-adjusted; standalone has no {@code timestamp_ntz}); Kernel reads it as {@code
 *       TimestampType}, microseconds since the epoch, full microsecond precision (also before
 *       1970). Checked by hand, not here: Avro {@code timestamp-millis} (INT64 MILLIS, UTC) also
 *       reads correctly, but {@code local-timestamp-micros} ({@code isAdjustedToUTC=false}) makes
 *       Kernel fail the whole scan with "Incompatible Utc adjustment for timestamp column".
 *   <li>Dates: Avro {@code date} → Parquet INT32 DATE → Delta/Kernel {@code date}.
 *   <li>Partition columns: present in the Delta schema, absent from the Parquet file, carried as
 *       strings in {@code add.partitionValues} (ISO {@code yyyy-MM-dd} for a date) and in the
 *       directory name; Kernel's {@code Scan.transformPhysicalData} adds them back as typed values.
 *   <li>Stats: {@code AddFile.stats} is spliced into the log verbatim, so the argument must be the
 *       stats JSON encoded as a JSON string once more; the log then holds {@code
 *       "stats":"{\"numRecords\":3,...}"} as the protocol requires. Checked by hand: with the plain
 *       JSON the log holds {@code "stats":{...}}, and both delta-standalone ("Cannot deserialize
 *       value of type String from Object value") and Kernel ("Couldn't decode {...}, expected a
 *       string") then refuse to load the table.
 *   <li>Data skipping: Kernel parses our stats (from JSON commits and from the checkpoint) and
 *       skips files with them. For timestamps it compares {@code TIMEADD(maxValues.ts, 1 ms)}, so
 *       stats written as ISO-8601 strings truncated to milliseconds (as Spark does) are correct.
 *   <li>Protocol: delta-standalone writes {@code minReaderVersion 1, minWriterVersion 2} (no table
 *       features) plus a {@code commitInfo} on the first commit; Kernel 4.4 reads it.
 *   <li>Checkpoints: delta-standalone writes {@code 00000000000000000010.checkpoint.parquet} and
 *       {@code _last_checkpoint} ({@code {"version":10,"size":N}}) right after commit 10; Kernel
 *       loads the latest snapshot from it plus the later JSON commits.
 *   <li>Nullability: required Avro fields become REQUIRED Parquet columns; {@code nullable=false}
 *       in the Delta schema survives into Kernel's schema.
 * </ul>
 */
class KernelTableReaderTest {

  private static final LocalDate DAY_1 = LocalDate.of(2026, 11, 20);
  private static final LocalDate DAY_2 = LocalDate.of(2026, 11, 21);

  @TempDir Path tempDir;

  @Test
  void readsEveryRowWithPartitionColumnAndNulls() {
    Path tableDir = tempDir.resolve("trades");
    List<Trade> trades = firstCommitTrades();
    long version = new StandaloneTradeTable(tableDir).commit(trades);

    KernelTableReader reader = KernelTableReader.of(tableDir.toString());

    assertThat(version).isZero();
    assertThat(reader.latestVersion()).isZero();
    assertThat(KernelTableReader.sorted(reader.readLatest(), "trade_id"))
        .containsExactlyElementsOf(expectedRows(trades));
    assertThat(reader.partitionColumns()).containsExactly("day");
    assertThat(reader.hasCheckpoint()).isFalse();
  }

  @Test
  void mapsStandaloneTypesToKernelTypes() {
    Path tableDir = tempDir.resolve("trades");
    new StandaloneTradeTable(tableDir).commit(firstCommitTrades());

    KernelTableReader reader = KernelTableReader.of(tableDir.toUri().toString());

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("symbol", "string");
    expected.put("trade_id", "long");
    expected.put("volume", "integer");
    expected.put("price", "double");
    expected.put("spread", "float");
    expected.put("odd_lot", "boolean");
    expected.put("raw", "binary");
    expected.put("ts", "timestamp");
    expected.put("settle_date", "date");
    expected.put("fee", "double");
    expected.put("day", "date");
    assertThat(reader.columnTypes()).containsExactlyEntriesOf(expected);
    assertThat(reader.schema().get("fee").isNullable()).isTrue();
    assertThat(reader.schema().get("trade_id").isNullable()).isFalse();
  }

  @Test
  void logHoldsStatsAsJsonStringAndProtocolOneTwo() throws IOException {
    Path tableDir = tempDir.resolve("trades");
    new StandaloneTradeTable(tableDir).commit(firstCommitTrades());

    String commit =
        Files.readString(
            tableDir.resolve("_delta_log/00000000000000000000.json"), StandardCharsets.UTF_8);

    assertThat(commit)
        .contains("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}")
        .contains("\"partitionValues\":{\"day\":\"2026-11-20\"}")
        .contains(
            "\"stats\":\"{\\\"numRecords\\\":3,\\\"minValues\\\":{\\\"symbol\\\":\\\"AAPL\\\"");
  }

  @Test
  void readsEveryRowFromCheckpointAfterElevenMoreCommits() {
    Path tableDir = tempDir.resolve("trades");
    StandaloneTradeTable table = new StandaloneTradeTable(tableDir);
    List<Trade> initial = firstCommitTrades();
    table.commit(initial);
    List<Trade> all = new ArrayList<>(initial);
    for (int i = 0; i < 11; i++) {
      Trade appended = appendedTrade(100 + i);
      assertThat(table.commit(List.of(appended))).isEqualTo(i + 1);
      all.add(appended);
    }

    KernelTableReader reader = KernelTableReader.of(tableDir.toString());

    assertThat(tableDir.resolve("_delta_log/00000000000000000010.checkpoint.parquet"))
        .isRegularFile();
    assertThat(reader.hasCheckpoint()).isTrue();
    assertThat(reader.latestSnapshotCheckpointVersion()).contains(10L);
    assertThat(reader.latestVersion()).isEqualTo(11);
    assertThat(KernelTableReader.sorted(reader.readLatest(), "trade_id"))
        .containsExactlyElementsOf(expectedRows(all));
    assertThat(KernelTableReader.sorted(reader.readAtVersion(0), "trade_id"))
        .containsExactlyElementsOf(expectedRows(initial));
    assertThat(KernelTableReader.sorted(reader.readAtVersion(5), "trade_id"))
        .containsExactlyElementsOf(expectedRows(all.subList(0, initial.size() + 5)));
  }

  @Test
  void kernelSkipsFilesByOurStatsIncludingMillisecondTruncatedTimestamps() {
    Path tableDir = tempDir.resolve("trades");
    StandaloneTradeTable table = new StandaloneTradeTable(tableDir);
    table.commit(firstCommitTrades());
    for (int i = 0; i < 11; i++) {
      table.commit(List.of(appendedTrade(100 + i)));
    }
    KernelTableReader reader = KernelTableReader.of(tableDir.toString());
    // Newest trade: id 110, ts 2026-11-22T10:00:00.000110Z; its stats say max ts ...10:00:00.000Z.
    Instant newest = Instant.parse("2026-11-22T10:00:00.000110Z");

    // Files 101..109 come from the checkpoint, 110 from commit 11: stats survive checkpointing.
    assertThat(reader.dataFilesMatching(greaterThan("trade_id", Literal.ofLong(100)))).hasSize(10);
    // Kernel compares TIMEADD(maxValues.ts, 1 ms), so a millisecond-truncated max stays correct.
    assertThat(reader.dataFilesMatching(atLeast("ts", timestampLiteral(newest)))).hasSize(11);
    assertThat(reader.dataFilesMatching(atLeast("ts", timestampLiteral(newest.plusMillis(1)))))
        .isEmpty();
  }

  @Test
  void sortedOrdersByKeysNullsFirstWithoutTouchingTheInput() {
    List<Map<String, Object>> rows =
        List.of(
            row("sym", "MSFT", "n", 2L), row("sym", "AAPL", "n", 9L), row("sym", null, "n", 1L));

    List<Map<String, Object>> sorted = KernelTableReader.sorted(rows, "sym", "n");

    assertThat(sorted)
        .containsExactly(
            row("sym", null, "n", 1L), row("sym", "AAPL", "n", 9L), row("sym", "MSFT", "n", 2L));
    assertThat(rows.get(0).get("sym")).isEqualTo("MSFT");
    assertThatThrownBy(() -> KernelTableReader.sorted(rows, "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
  }

  /** Two partitions, three rows in one file and two in the other; one null fee. */
  private static List<Trade> firstCommitTrades() {
    return List.of(
        new Trade(
            "AAPL",
            1L,
            300,
            187.12,
            0.01f,
            false,
            bytes(1, 2, 3),
            Instant.parse("2026-11-20T14:30:00.123456Z"),
            LocalDate.of(2026, 11, 24),
            0.35,
            DAY_1),
        new Trade(
            "MSFT",
            2L,
            57,
            415.5,
            0.02f,
            true,
            bytes(),
            Instant.parse("2026-11-20T14:30:01.000001Z"),
            LocalDate.of(2026, 11, 24),
            null,
            DAY_1),
        new Trade(
            "NVDA",
            3L,
            1_000,
            140.25,
            0.005f,
            false,
            bytes(-1, 0, 127),
            Instant.parse("2026-11-20T20:59:59.999999Z"),
            LocalDate.of(2026, 11, 24),
            1.5,
            DAY_1),
        new Trade(
            "AAPL",
            4L,
            100,
            188.0,
            0.01f,
            false,
            bytes(42),
            Instant.parse("2026-11-21T00:00:00Z"),
            LocalDate.of(2026, 11, 25),
            0.1,
            DAY_2),
        new Trade(
            "TSLA",
            5L,
            12,
            -0.0,
            Float.MIN_VALUE,
            true,
            bytes(9, 9),
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            LocalDate.of(1969, 12, 31),
            Double.MAX_VALUE,
            DAY_2));
  }

  private static Trade appendedTrade(long tradeId) {
    return new Trade(
        "SYM" + tradeId,
        tradeId,
        (int) tradeId,
        tradeId + 0.5,
        0.25f,
        tradeId % 2 == 0,
        bytes((int) tradeId),
        Instant.parse("2026-11-22T10:00:00Z").plusNanos(tradeId * 1_000),
        LocalDate.of(2026, 11, 26),
        tradeId % 3 == 0 ? null : 0.01 * tradeId,
        tradeId % 2 == 0 ? DAY_1 : LocalDate.of(2026, 11, 22));
  }

  private static List<Map<String, Object>> expectedRows(List<Trade> trades) {
    return trades.stream()
        .sorted((a, b) -> Long.compare(a.tradeId(), b.tradeId()))
        .map(Trade::expectedRow)
        .toList();
  }

  private static Predicate greaterThan(String column, Literal value) {
    return new Predicate(">", new Column(column), value);
  }

  private static Predicate atLeast(String column, Literal value) {
    return new Predicate(">=", new Column(column), value);
  }

  private static Literal timestampLiteral(Instant instant) {
    return Literal.ofTimestamp(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }
}

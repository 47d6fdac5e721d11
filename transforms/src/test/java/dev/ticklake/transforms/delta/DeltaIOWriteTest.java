package dev.ticklake.transforms.delta;

import static dev.ticklake.transforms.delta.TickTables.KEYS;
import static dev.ticklake.transforms.delta.TickTables.append;
import static dev.ticklake.transforms.delta.TickTables.maps;
import static dev.ticklake.transforms.delta.TickTables.read;
import static dev.ticklake.transforms.delta.TickTables.tick;
import static dev.ticklake.transforms.delta.TickTables.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.Await;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.delta.internal.DataFileActions;
import dev.ticklake.transforms.delta.internal.DeltaStats;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.standalone.actions.AddFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KernelAgreement.class)
class DeltaIOWriteTest {
  @TempDir Path dir;

  private String table() {
    return dir.resolve("silver/ticks").toString();
  }

  /** Our reader and Delta Kernel both see exactly {@code expected}. */
  static void assertTableHolds(String location, List<GenericRecord> expected) {
    List<Map<String, Object>> want = maps(expected);
    assertThat(read(DeltaIO.read().from(location))).containsExactlyElementsOf(want);
    assertThat(TickTables.sorted(KernelTableReader.of(location).readLatest()))
        .containsExactlyElementsOf(want);
  }

  @Test
  void appendWritesExactRowsWithStatsAndPartitionValues() {
    List<GenericRecord> rows = TickTables.generate(500, 3);
    CommitOutcome outcome = write(rows, append(table()));

    assertThat(outcome.status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(outcome.tableVersion()).isZero();
    assertThat(outcome.rowsAdded()).isEqualTo(500);
    assertTableHolds(table(), rows);

    List<AddFile> files = DeltaTable.at(table()).filesAt(-1);
    assertThat(files).hasSize((int) outcome.filesAdded());
    long total = 0;
    for (AddFile f : files) {
      String date = f.getPartitionValues().get("trade_date");
      assertThat(date).isIn("2026-11-18", "2026-11-19", "2026-11-20");
      assertThat(f.getPath())
          .startsWith("trade_date=" + date + "/part-")
          .endsWith(".snappy.parquet");
      var stats = DeltaStats.parse(f.getStats());
      total += stats.get("numRecords").asLong();
      assertThat(stats.get("nullCount").get("symbol").asLong()).isZero();
      assertThat(stats.get("minValues").get("symbol").asText()).isIn("AAPL", "MSFT");
      assertThat(stats.get("minValues").has("trade_date"))
          .as("partition columns are not in files")
          .isFalse();
    }
    assertThat(total).isEqualTo(500);
  }

  @Test
  void statsHoldTheExactMinMaxAndNullCounts() throws Exception {
    TableLayout layout = new TableLayout(TickTables.SCHEMA, TickTables.PARTITIONS, KEYS);
    ParquetDataFiles.Writer w =
        ParquetDataFiles.open(
            new org.apache.hadoop.conf.Configuration(),
            table(),
            layout,
            Map.of("trade_date", "2026-11-20"),
            1 << 20);
    w.write(tick("AAPL", "2026-11-20T14:30:00.123456Z", 187.5, 300, null));
    w.write(tick("MSFT", "2026-11-20T15:00:00.000999Z", 410.25, 10, "x"));
    w.write(tick("AAPL", "2026-11-20T14:31:00Z", 187.0, 0, null));
    DataFileAction file = w.finish();

    assertThat(file.numRecords()).isEqualTo(3);
    assertThat(file.path()).startsWith("trade_date=2026-11-20/part-");
    // Timestamps truncated to milliseconds, as Delta writers do; partition columns have no stats.
    assertThat(DeltaStats.parse(DataFileActions.toAddFile(file, 0, true).getStats()).toString())
        .isEqualTo(
            "{\"numRecords\":3,"
                + "\"minValues\":{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00.123Z\",\"price\":187.0,\"volume\":0,\"note\":\"x\"},"
                + "\"maxValues\":{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T15:00:00.000Z\",\"price\":410.25,\"volume\":300,\"note\":\"x\"},"
                + "\"nullCount\":{\"symbol\":0,\"ts\":0,\"price\":0,\"volume\":0,\"note\":2}}");
  }

  @Test
  void recommitOfACommittedVersionIsSkippedAndTheVersionIsReadable() {
    List<GenericRecord> rows = TickTables.generate(50, 1);
    DeltaWrite w = append(table()).withTransaction("silver/ticks:bronze/ticks", 7);

    assertThat(write(rows, w).status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    CommitOutcome again = write(rows, w);

    assertThat(again.status()).isEqualTo(CommitOutcome.Status.SKIPPED);
    assertThat(again.tableVersion()).isZero();
    assertThat(DeltaTable.at(table()).txnVersion("silver/ticks:bronze/ticks")).isEqualTo(7);
    assertThat(DeltaTable.at(table()).txnVersion("other")).isEqualTo(-1);
    assertThat(DeltaTable.at(table()).latestVersion()).isZero();
    assertTableHolds(table(), rows);

    // An older version is skipped too; a newer one commits.
    assertThat(
            write(rows, append(table()).withTransaction("silver/ticks:bronze/ticks", 6)).status())
        .isEqualTo(CommitOutcome.Status.SKIPPED);
    assertThat(
            write(
                    rows.subList(0, 1),
                    append(table()).withTransaction("silver/ticks:bronze/ticks", 8))
                .tableVersion())
        .isEqualTo(1);
  }

  @Test
  void emptyBatchCommitsItsSourcePositionOnlyOrNothing() {
    write(TickTables.generate(10, 1), append(table()));
    CommitOutcome positionOnly = write(List.of(), append(table()).withTransaction("app", 3));
    assertThat(positionOnly.status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(positionOnly.filesAdded()).isZero();
    assertThat(DeltaTable.at(table()).txnVersion("app")).isEqualTo(3);

    CommitOutcome nothing = write(List.of(), append(table()));
    assertThat(nothing.status()).isEqualTo(CommitOutcome.Status.EMPTY);
    assertThat(DeltaTable.at(table()).latestVersion()).isEqualTo(1);
  }

  @Test
  void replacePartitionsSwapsOnlyThePartitionsInTheBatch() {
    List<GenericRecord> day18 =
        List.of(
            tick("AAPL", "2026-11-18T15:00:00Z", 1, 1, null),
            tick("MSFT", "2026-11-18T15:00:00Z", 2, 2, null));
    List<GenericRecord> day19 =
        List.of(
            tick("AAPL", "2026-11-19T15:00:00Z", 3, 3, null),
            tick("AAPL", "2026-11-19T16:00:00Z", 4, 4, null));
    List<GenericRecord> initial = new ArrayList<>(day18);
    initial.addAll(day19);
    DeltaWrite replace = append(table()).withMode(WriteMode.REPLACE_PARTITIONS);
    write(initial, replace);

    long day19Files =
        DeltaTable.at(table()).filesAt(-1).stream()
            .filter(f -> f.getPartitionValues().get("trade_date").equals("2026-11-19"))
            .count();
    List<GenericRecord> newDay19 = List.of(tick("MSFT", "2026-11-19T17:00:00Z", 5, 5, "new"));
    CommitOutcome outcome = write(newDay19, replace);

    assertThat(outcome.filesAdded()).isEqualTo(1);
    assertThat(outcome.filesRemoved()).isEqualTo(day19Files);
    List<GenericRecord> expected = new ArrayList<>(day18);
    expected.addAll(newDay19);
    assertTableHolds(table(), expected);
  }

  @Test
  void upsertReplacesRowsByKeyAndRewritesOnlyFilesHoldingThoseKeys() {
    List<GenericRecord> day18 =
        List.of(
            tick("AAPL", "2026-11-18T15:00:00Z", 1, 1, null),
            tick("MSFT", "2026-11-18T15:00:00Z", 2, 2, null));
    List<GenericRecord> day19 =
        List.of(
            tick("AAPL", "2026-11-19T15:00:00Z", 3, 3, null),
            tick("AAPL", "2026-11-19T16:00:00Z", 4, 4, null));
    DeltaWrite upsert = append(table()).withMode(WriteMode.UPSERT).withKeyColumns(KEYS);
    write(day18, upsert);
    write(day19, upsert);

    List<GenericRecord> batch =
        List.of(
            tick("AAPL", "2026-11-19T16:00:00Z", 40, 40, "updated"),
            tick("AAPL", "2026-11-19T16:00:00Z", 40, 40, "updated"), // repeated key in the batch
            tick("TSLA", "2026-11-19T16:00:00Z", 6, 6, "inserted"));
    List<AddFile> before = DeltaTable.at(table()).filesAt(-1);
    CommitOutcome outcome = write(batch, upsert);

    // Only the one file that held a batch key is rewritten (without it); day 18 is untouched.
    assertThat(outcome.filesRemoved()).isEqualTo(1);
    List<AddFile> after = DeltaTable.at(table()).filesAt(-1);
    assertThat(after).hasSize(before.size() - 1 + (int) outcome.filesAdded());
    assertThat(after.stream().map(AddFile::getPath))
        .containsAll(
            before.stream()
                .filter(f -> f.getPartitionValues().get("trade_date").equals("2026-11-18"))
                .map(AddFile::getPath)
                .toList());
    assertTableHolds(
        table(),
        List.of(
            day18.get(0),
            day18.get(1),
            day19.get(0),
            tick("AAPL", "2026-11-19T16:00:00Z", 40, 40, "updated"),
            tick("TSLA", "2026-11-19T16:00:00Z", 6, 6, "inserted")));

    // Replaying the same batch changes no row.
    write(batch, upsert);
    assertThat(read(DeltaIO.read().from(table()))).hasSize(5);
  }

  @Test
  void insertOnlyUpsertKeepsExistingRowsAndRewritesNothing() {
    DeltaWrite insertOnly =
        append(table()).withMode(WriteMode.UPSERT).withKeyColumns(KEYS).withKeepExistingOnMatch();
    GenericRecord first = tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, "first");
    write(List.of(first, tick("MSFT", "2026-11-19T15:00:00Z", 2, 2, null)), insertOnly);

    GenericRecord replayed = tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, "replayed");
    GenericRecord fresh = tick("AAPL", "2026-11-19T15:01:00Z", 3, 3, null);
    CommitOutcome outcome = write(List.of(replayed, fresh), insertOnly);

    assertThat(outcome.filesRemoved()).isZero();
    assertThat(outcome.rowsAdded()).isEqualTo(1);
    assertTableHolds(
        table(), List.of(first, tick("MSFT", "2026-11-19T15:00:00Z", 2, 2, null), fresh));
    // Replaying only known keys adds no row.
    assertThat(write(List.of(replayed), insertOnly).rowsAdded()).isZero();
  }

  @Test
  void upsertSkipsFilesWhoseKeyStatisticsCannotMatch() {
    DeltaWrite upsert = append(table()).withMode(WriteMode.UPSERT).withKeyColumns(KEYS);
    write(List.of(tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, null)), upsert);
    CommitOutcome later = write(List.of(tick("AAPL", "2026-11-19T16:00:00Z", 2, 2, null)), upsert);
    assertThat(later.filesRemoved()).isZero();
    assertThat(later.filesAdded()).isEqualTo(1);
  }

  @Test
  void schemaMismatchNamesTableColumnBothTypesAndTheFix() {
    write(TickTables.generate(3, 1), append(table()));
    org.apache.avro.Schema wrong =
        new org.apache.avro.Schema.Parser()
            .parse(
                TickTables.SCHEMA
                    .toString()
                    .replace("\"price\",\"type\":\"double\"", "\"price\",\"type\":\"string\""));
    GenericRecord row = new org.apache.avro.generic.GenericData.Record(wrong);
    row.put("symbol", "AAPL");
    row.put("ts", 0L);
    row.put("price", "abc");
    row.put("volume", 1L);
    row.put("trade_date", 0);

    assertThatThrownBy(
            () ->
                write(
                    List.of(row), append(table()).withSchema(wrong).withTableName("silver/ticks")))
        .isInstanceOf(DeltaSchemaMismatchException.class)
        .hasMessage(
            "Cannot commit to silver/ticks: schema mismatch on column price (table has double, batch has string); "
                + "fix the writer or migrate the table");
    assertThat(DeltaTable.at(table()).latestVersion()).isZero();
  }

  @Test
  void newColumnNeedsOptInEvolutionAndOldRowsReadNull() {
    List<GenericRecord> old = TickTables.generate(4, 1);
    write(old, append(table()));
    org.apache.avro.Schema wider =
        org.apache.avro.SchemaBuilder.record("Tick")
            .namespace("dev.ticklake.test")
            .fields()
            .requiredString("symbol")
            .name("ts")
            .type(TickTables.SCHEMA.getField("ts").schema())
            .noDefault()
            .requiredDouble("price")
            .requiredLong("volume")
            .optionalString("note")
            .name("trade_date")
            .type(TickTables.SCHEMA.getField("trade_date").schema())
            .noDefault()
            .optionalDouble("vwap")
            .endRecord();
    GenericRecord row = tick(wider, "AAPL", "2026-11-18T20:00:00Z", 1, 1, null);
    row.put("vwap", 1.5);

    assertThatThrownBy(() -> write(List.of(row), append(table()).withSchema(wider)))
        .hasMessageContaining("schema mismatch on column vwap (absent in table vs double in batch)")
        .hasMessageContaining("--allowSchemaEvolution");

    write(List.of(row), append(table()).withSchema(wider).withSchemaEvolution());
    List<Map<String, Object>> kernel = KernelTableReader.of(table()).readLatest();
    assertThat(kernel).hasSize(5);
    assertThat(kernel)
        .filteredOn(m -> m.get("vwap") != null)
        .extracting(m -> m.get("vwap"))
        .containsExactly(1.5);
  }

  @Test
  void readsSnapshotsAtVersionAndTimestampAndChangesBetweenVersions() throws Exception {
    List<GenericRecord> v0 = TickTables.generate(6, 2);
    List<GenericRecord> v1 = List.of(tick("TSLA", "2026-11-21T10:00:00Z", 9, 9, null));
    write(v0, append(table()));
    long afterV0 = System.currentTimeMillis();
    Await.until(
        Duration.ofSeconds(5),
        "the clock to pass " + afterV0 + " ms",
        () -> System.currentTimeMillis() > afterV0);
    write(v1, append(table()));

    assertThat(read(DeltaIO.read().from(table()).atVersion(0))).isEqualTo(maps(v0));
    assertThat(read(DeltaIO.read().from(table()).atTimestamp(afterV0))).isEqualTo(maps(v0));
    assertThat(read(DeltaIO.read().from(table()).changesBetween(0, 1))).isEqualTo(maps(v1));
    assertThat(read(DeltaIO.read().from(table()).changesBetween(-1, 0))).isEqualTo(maps(v0));
    List<GenericRecord> all = new ArrayList<>(v0);
    all.addAll(v1);
    assertThat(read(DeltaIO.read().from(table()).changesBetween(-1, 1))).isEqualTo(maps(all));
    assertThat(read(DeltaIO.read().from(table()).changesBetween(1, 1))).isEmpty();
    assertThat(KernelTableReader.of(table()).readAtVersion(0)).hasSize(6);
  }

  @Test
  void moreThanTenCommitsWriteACheckpointThatKernelReads() {
    List<GenericRecord> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      GenericRecord r = tick("AAPL", String.format("2026-11-18T15:%02d:00Z", i), i, i, null);
      all.add(r);
      write(List.of(r), append(table()).withTransaction("app", i + 1));
    }
    assertThat(
            Files.exists(Path.of(table(), "_delta_log", "00000000000000000010.checkpoint.parquet")))
        .isTrue();
    KernelTableReader kernel = KernelTableReader.of(table());
    assertThat(kernel.hasCheckpoint()).isTrue();
    assertThat(kernel.latestVersion()).isEqualTo(11);
    assertTableHolds(table(), all);
    assertThat(DeltaTable.at(table()).txnVersion("app")).isEqualTo(12);
  }

  @Test
  void partitionValuesWithPathUnsafeCharactersRoundTrip() {
    org.apache.avro.Schema schema =
        org.apache.avro.SchemaBuilder.record("P")
            .fields()
            .requiredString("symbol")
            .requiredLong("n")
            .endRecord();
    GenericRecord a = new org.apache.avro.generic.GenericData.Record(schema);
    a.put("symbol", "BRK/B:=% x");
    a.put("n", 1L);
    write(
        List.of(a),
        DeltaIO.write().to(table()).withSchema(schema).withPartitionColumns(List.of("symbol")));
    assertThat(KernelTableReader.of(table()).readLatest())
        .containsExactly(Map.of("symbol", "BRK/B:=% x", "n", 1L));
    assertThat(read(DeltaIO.read().from(table())))
        .containsExactly(Map.of("symbol", "BRK/B:=% x", "n", 1L));
  }
}

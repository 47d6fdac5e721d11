package dev.ticklake.transforms.delta;

import static dev.ticklake.transforms.delta.DeltaIOWriteTest.assertTableHolds;
import static dev.ticklake.transforms.delta.TickTables.KEYS;
import static dev.ticklake.transforms.delta.TickTables.append;
import static dev.ticklake.transforms.delta.TickTables.tick;
import static dev.ticklake.transforms.delta.TickTables.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.internal.HadoopConf;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The insert-only merge building block and the ordered multi-table commit step. */
class InsertOnlyMergeTest {
  @TempDir Path dir;

  private String table(String name) {
    return dir.resolve("lake").resolve(name).toString();
  }

  private static DeltaWrite insertOnly(String location) {
    return append(location)
        .withMode(WriteMode.UPSERT)
        .withKeyColumns(KEYS)
        .withKeepExistingOnMatch();
  }

  @Test
  void appendsOnlyKeysTheTableDoesNotHoldAndCommitsInOrder() throws Exception {
    String ticks = table("ticks");
    String log = table("log");
    GenericRecord first = tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, "first");
    GenericRecord msft = tick("MSFT", "2026-11-19T15:00:00Z", 2, 2, null);
    write(List.of(first, msft), append(ticks));
    long base = DeltaTable.at(ticks).latestVersion();

    DeltaWrite upsert = insertOnly(ticks).withBaseVersion(base).withTransaction("app", 1);
    InsertOnlyMerge merge = upsert.insertOnlyMerge();
    GenericRecord replayed = tick("AAPL", "2026-11-19T15:00:00Z", 9, 9, "replayed");
    GenericRecord fresh = tick("AAPL", "2026-11-19T15:01:00Z", 3, 3, null);
    GenericRecord nextDay = tick("MSFT", "2026-11-20T15:00:00Z", 4, 4, null);
    List<DataFileAction> files = new ArrayList<>();
    merge.merge(List.of(replayed, fresh, nextDay), files::add);

    // One new file per partition, holding only the new keys; nothing removed.
    assertThat(files).hasSize(2);
    assertThat(files).allMatch(f -> f.kind() == DataFileAction.Kind.ADD);
    assertThat(files.stream().mapToLong(DataFileAction::numRecords).sum()).isEqualTo(2);

    // The files of two tables, committed by one step in the writes' order.
    DeltaWrite logWrite = append(log).withTransaction("app", 1);
    GenericRecord logRow = tick("LOG", "2026-11-19T15:00:00Z", 1, 1, "batch 1");
    List<DataFileAction> logFiles = new ArrayList<>();
    try (ParquetDataFiles.Writer w =
        ParquetDataFiles.open(
            HadoopConf.of(java.util.Map.of()),
            log,
            logWrite.layout(),
            logWrite.layout().partitions().of(logRow),
            1 << 20)) {
      w.write(logRow);
      logFiles.add(w.finish());
    }
    List<KV<String, DataFileAction>> tagged = new ArrayList<>();
    logFiles.forEach(f -> tagged.add(KV.of("lake/log", f)));
    files.forEach(f -> tagged.add(KV.of("lake/ticks", f)));
    List<CommitOutcome> outcomes = commit(tagged, List.of(logWrite, upsert));
    assertThat(outcomes).extracting(CommitOutcome::table).containsExactly("lake/log", "lake/ticks");
    assertThat(outcomes)
        .extracting(CommitOutcome::status)
        .containsOnly(CommitOutcome.Status.COMMITTED);
    assertTableHolds(ticks, List.of(first, msft, fresh, nextDay));
    assertTableHolds(log, List.of(logRow));

    // Re-running the batch is skipped by both tables' SetTransactions.
    assertThat(commit(tagged, List.of(logWrite, upsert)))
        .extracting(CommitOutcome::status)
        .containsOnly(CommitOutcome.Status.SKIPPED);
    assertTableHolds(ticks, List.of(first, msft, fresh, nextDay));
  }

  @Test
  void aBatchOfOnlyKnownKeysWritesNothing() throws Exception {
    String ticks = table("ticks");
    GenericRecord first = tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, null);
    write(List.of(first), append(ticks));
    InsertOnlyMerge merge =
        insertOnly(ticks).withBaseVersion(DeltaTable.at(ticks).latestVersion()).insertOnlyMerge();
    List<DataFileAction> files = new ArrayList<>();
    merge.merge(List.of(tick("AAPL", "2026-11-19T15:00:00Z", 5, 5, "again")), files::add);
    assertThat(files).isEmpty();
  }

  @Test
  void anAppenderKeepsOneFilePerPartitionOpenAcrossSlicesUntilFinished() throws Exception {
    String ticks = table("ticks");
    GenericRecord first = tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, "first");
    write(List.of(first), append(ticks));
    DeltaWrite upsert =
        insertOnly(ticks)
            .withBaseVersion(DeltaTable.at(ticks).latestVersion())
            .withTransaction("app", 1)
            .withoutDictionary("ts", "note");
    List<DataFileAction> files = new ArrayList<>();
    InsertOnlyMerge.Appender appender = upsert.insertOnlyMerge().appender(files::add);
    GenericRecord a = tick("AAPL", "2026-11-19T15:01:00Z", 2, 2, null);
    GenericRecord b = tick("MSFT", "2026-11-19T15:01:00Z", 3, 3, "b");
    GenericRecord c = tick("MSFT", "2026-11-20T15:00:00Z", 4, 4, null);
    appender.merge(List.of(a, tick("AAPL", "2026-11-19T15:00:00Z", 9, 9, "replayed")));
    appender.merge(List.of(b, c));
    assertThat(files).as("files stay open until finish()").isEmpty();
    appender.finish();

    // Two slices, two partitions: one file per partition, the known key left out.
    assertThat(files)
        .extracting(f -> f.partitionValues().get("trade_date"), DataFileAction::numRecords)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("2026-11-19", 2L),
            org.assertj.core.groups.Tuple.tuple("2026-11-20", 1L));
    List<KV<String, DataFileAction>> tagged = new ArrayList<>();
    files.forEach(f -> tagged.add(KV.of("lake/ticks", f)));
    assertThat(commit(tagged, List.of(upsert)))
        .extracting(CommitOutcome::status)
        .containsExactly(CommitOutcome.Status.COMMITTED);
    assertTableHolds(ticks, List.of(first, a, b, c));
  }

  @Test
  void anAppenderClosesFilesAtSliceBoundariesOnceTheyHoldEnoughRows() throws Exception {
    String ticks = table("ticks");
    InsertOnlyMerge merge = insertOnly(ticks).withBaseVersion(-1).insertOnlyMerge();
    List<DataFileAction> files = new ArrayList<>();
    InsertOnlyMerge.Appender appender = merge.appender(files::add, 3);
    appender.merge(
        List.of(
            tick("AAPL", "2026-11-19T15:00:00Z", 1, 1, null),
            tick("AAPL", "2026-11-19T15:00:01Z", 1, 1, null)));
    assertThat(files).as("2 rows < 3: still open").isEmpty();
    appender.merge(
        List.of(
            tick("AAPL", "2026-11-19T15:00:02Z", 1, 1, null),
            tick("AAPL", "2026-11-19T15:00:03Z", 1, 1, null)));
    assertThat(files).extracting(DataFileAction::numRecords).containsExactly(4L);
    appender.merge(List.of(tick("AAPL", "2026-11-19T15:00:04Z", 1, 1, null)));
    appender.finish();
    assertThat(files).extracting(DataFileAction::numRecords).containsExactly(4L, 1L);
    assertThatThrownBy(() -> merge.appender(files::add, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowsPerFile must be >= 1");
  }

  @Test
  void withoutDictionaryNamesDataColumnsOnly() {
    String ticks = table("ticks");
    assertThatThrownBy(() -> append(ticks).withoutDictionary("nope").layout())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope' is not a data column");
    assertThatThrownBy(() -> append(ticks).withoutDictionary("trade_date").layout())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'trade_date' is not a data column");
    assertThat(append(ticks).withoutDictionary("ts").layout().plainColumns()).containsExactly("ts");
  }

  @Test
  void needsInsertOnlyUpsertWithABaseVersion() {
    String ticks = table("ticks");
    assertThatThrownBy(() -> insertOnly(ticks).insertOnlyMerge())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("withBaseVersion");
    assertThatThrownBy(() -> append(ticks).withBaseVersion(0).insertOnlyMerge())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UPSERT");
    assertThatThrownBy(() -> DeltaIO.commitInOrder(List.of(insertOnly(ticks))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs withBaseVersion");
  }

  private static List<CommitOutcome> commit(
      List<KV<String, DataFileAction>> files, List<DeltaWrite> writes) {
    Pipeline p = Runners.direct();
    Collected<CommitOutcome> outcomes = Collected.into();
    p.apply(
            Create.of(files)
                .withCoder(
                    KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DataFileAction.class))))
        .apply(DeltaIO.commitInOrder(writes))
        .apply(outcomes);
    p.run().waitUntilFinish();
    return outcomes.elements();
  }
}

package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.delta.internal.CommitSpec;
import dev.ticklake.transforms.delta.internal.DeltaCommitter;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.TableLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KernelAgreement.class)
class ConcurrentWritersTest {
  @TempDir Path dir;

  private String table() {
    return dir.resolve("silver/ticks").toString();
  }

  @Test
  void twoAppendingWritersStartedTogetherBothLand() throws Exception {
    List<GenericRecord> a = CrashSafetyIT.batch(0, 200);
    List<GenericRecord> b = CrashSafetyIT.batch(200, 200);
    List<CommitOutcome> outcomes =
        runTogether(
            () -> TickTables.write(a, TickTables.append(table()).withTransaction("writer-a", 1)),
            () -> TickTables.write(b, TickTables.append(table()).withTransaction("writer-b", 1)));

    assertThat(outcomes)
        .extracting(CommitOutcome::status)
        .containsOnly(CommitOutcome.Status.COMMITTED);
    assertThat(outcomes).extracting(CommitOutcome::tableVersion).containsExactlyInAnyOrder(0L, 1L);
    List<GenericRecord> both = new ArrayList<>(a);
    both.addAll(b);
    assertThat(TickTables.sorted(KernelTableReader.of(table()).readLatest()))
        .containsExactlyElementsOf(TickTables.maps(both));
  }

  @Test
  void twoUpsertsIntoOnePartitionBothLandAfterTheLoserReruns() throws Exception {
    DeltaWrite upsert =
        TickTables.append(table()).withMode(WriteMode.UPSERT).withKeyColumns(TickTables.KEYS);
    TickTables.write(List.of(TickTables.tick("AAPL", "2026-11-18T15:00:00Z", 1, 1, null)), upsert);
    List<GenericRecord> a = List.of(TickTables.tick("AAPL", "2026-11-18T15:00:00Z", 2, 2, "a"));
    List<GenericRecord> b = List.of(TickTables.tick("MSFT", "2026-11-18T15:00:00Z", 3, 3, "b"));

    runTogether(
        () ->
            DeltaBatchRetry.run(
                () -> TickTables.write(a, upsert.withTransaction("writer-a", 1)),
                10,
                Duration.ofMillis(20)),
        () ->
            DeltaBatchRetry.run(
                () -> TickTables.write(b, upsert.withTransaction("writer-b", 1)),
                10,
                Duration.ofMillis(20)));

    assertThat(TickTables.sorted(KernelTableReader.of(table()).readLatest()))
        .containsExactlyElementsOf(TickTables.maps(List.of(a.get(0), b.get(0))));
  }

  @Test
  void aCommitToThePartitionsABatchReadRaisesAConflictAndCommitsNothing() throws Exception {
    DeltaWrite upsert =
        TickTables.append(table()).withMode(WriteMode.UPSERT).withKeyColumns(TickTables.KEYS);
    TickTables.write(List.of(TickTables.tick("AAPL", "2026-11-18T15:00:00Z", 1, 1, null)), upsert);
    long base = DeltaTable.at(table()).latestVersion();

    // This batch's files were computed from version `base`...
    TableLayout layout = new TableLayout(TickTables.SCHEMA, TickTables.PARTITIONS, TickTables.KEYS);
    ParquetDataFiles.Writer w =
        ParquetDataFiles.open(
            new Configuration(), table(), layout, Map.of("trade_date", "2026-11-18"), 1 << 20);
    w.write(TickTables.tick("AAPL", "2026-11-18T15:00:00Z", 9, 9, "late"));
    DataFileAction file = w.finish();
    // ...but another writer changed that partition first.
    TickTables.write(List.of(TickTables.tick("MSFT", "2026-11-18T16:00:00Z", 2, 2, null)), upsert);

    DeltaCommitter committer =
        new DeltaCommitter(
            new CommitSpec(
                table(),
                "silver/ticks",
                Map.of(),
                WriteMode.UPSERT,
                layout,
                false,
                Map.of(),
                Map.of(),
                3,
                1));
    assertThatThrownBy(() -> committer.commit(List.of(file), base))
        .isInstanceOf(DeltaConflictException.class)
        .hasMessageContaining(
            "Cannot commit to silver/ticks: version 1 (by another writer) changed partition {trade_date=2026-11-18}")
        .hasMessageContaining("re-run the batch");
    assertThat(DeltaTable.at(table()).latestVersion()).isEqualTo(1);

    // A different partition is not a conflict.
    ParquetDataFiles.Writer other =
        ParquetDataFiles.open(
            new Configuration(), table(), layout, Map.of("trade_date", "2026-11-19"), 1 << 20);
    other.write(TickTables.tick("AAPL", "2026-11-19T15:00:00Z", 9, 9, null));
    assertThat(committer.commit(List.of(other.finish()), base).status())
        .isEqualTo(CommitOutcome.Status.COMMITTED);
  }

  @SafeVarargs
  private static List<CommitOutcome> runTogether(
      java.util.concurrent.Callable<CommitOutcome>... writers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers.length);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<CommitOutcome>> futures = new ArrayList<>();
    for (var w : writers) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return w.call();
              }));
    }
    start.countDown();
    List<CommitOutcome> out = new ArrayList<>();
    for (Future<CommitOutcome> f : futures) {
      out.add(f.get());
    }
    pool.shutdown();
    return out;
  }
}

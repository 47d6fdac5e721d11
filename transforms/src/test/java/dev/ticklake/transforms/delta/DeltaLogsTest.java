package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.transforms.delta.internal.DeltaLogs;
import dev.ticklake.transforms.util.Directories;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.exceptions.ConcurrentAppendException;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared {@link DeltaLogs} cache against commits made outside it: "another process" is a {@code
 * DeltaLog} opened directly with {@code DeltaLog.forTable}, which shares nothing with the cache.
 */
class DeltaLogsTest {
  private static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            new StructField("symbol", new StringType()), new StructField("n", new LongType())
          });

  /** The schema of a table re-created at the same place. */
  private static final StructType OTHER_SCHEMA = SCHEMA.add("note", new StringType());

  @TempDir Path dir;

  private String table() {
    return dir.resolve("t").toString();
  }

  @Test
  void aCachedLogSeesEveryCommitOfAnotherWriter() throws Exception {
    DeltaTable cached = DeltaTable.at(table());
    assertThat(cached.exists()).isFalse();
    assertThat(cached.latestVersion()).isEqualTo(-1);
    assertThat(cached.position("app")).isEqualTo(new DeltaTable.Position(-1, -1));

    DeltaLog other = DeltaLog.forTable(new Configuration(), table());
    commit(
        other, List.of("a.parquet"), Optional.of(new SetTransaction("app", 4, Optional.empty())));

    DeltaLog first = cached.log();
    assertThat(cached.exists()).isTrue();
    assertThat(cached.latestVersion()).isZero();
    assertThat(paths(cached.filesAt(-1))).containsExactly("a.parquet");
    assertThat(cached.schema()).contains(SCHEMA);

    commit(
        other, List.of("b.parquet"), Optional.of(new SetTransaction("app", 9, Optional.empty())));

    // The same log object, brought up to date.
    assertThat(DeltaTable.at(table()).log()).isSameAs(first);
    assertThat(cached.latestVersion()).isEqualTo(1);
    assertThat(cached.position("app")).isEqualTo(new DeltaTable.Position(1, 9));
    assertThat(cached.txnVersion("app")).isEqualTo(9);
    assertThat(paths(cached.filesAt(-1))).containsExactly("a.parquet", "b.parquet");
    assertThat(paths(cached.filesAt(0))).containsExactly("a.parquet");
    assertThat(paths(cached.filesAddedBetween(0, 1))).containsExactly("b.parquet");
  }

  @Test
  void aCachedLogCommitsOnTopOfAnotherWritersCommit() throws Exception {
    DeltaLog other = DeltaLog.forTable(new Configuration(), table());
    commit(other, List.of("a.parquet"), Optional.empty());
    DeltaTable cached = DeltaTable.at(table());
    assertThat(cached.latestVersion()).isZero();

    commit(other, List.of("b.parquet"), Optional.empty());
    // The cached log's transaction starts from version 1, not from its cached version 0.
    assertThat(commit(cached.log(), List.of("c.parquet"), Optional.empty())).isEqualTo(2);

    assertThat(paths(DeltaLog.forTable(new Configuration(), table()).update().getAllFiles()))
        .containsExactly("a.parquet", "b.parquet", "c.parquet");
  }

  @Test
  void differentHadoopSettingsGetDifferentLogs() {
    DeltaLog plain = DeltaTable.at(table()).log();
    assertThat(DeltaTable.at(table(), Map.of()).log()).isSameAs(plain);
    assertThat(DeltaTable.at(table(), Map.of("fs.permissions.umask-mode", "022")).log())
        .isNotSameAs(plain);
  }

  @Test
  void aTableDeletedAndRecreatedWithFewerVersionsIsNotServedStale() throws Exception {
    DeltaTable cached = DeltaTable.at(table());
    DeltaLog writer = DeltaLog.forTable(new Configuration(), table());
    for (int v = 0; v <= 11; v++) {
      commit(writer, List.of("old-" + v + ".parquet"), Optional.empty());
    }
    assertThat(checkpointExists(10)).isTrue();
    assertThat(cached.latestVersion()).isEqualTo(11);
    assertThat(cached.filesAt(-1)).hasSize(12);

    deleteTable();
    assertThat(cached.exists()).isFalse();
    assertThat(cached.latestVersion()).isEqualTo(-1);
    assertThat(cached.filesAt(-1)).isEmpty();

    DeltaLog recreator = DeltaLog.forTable(new Configuration(), table());
    commit(recreator, OTHER_SCHEMA, List.of("new-0.parquet"));
    commit(recreator, OTHER_SCHEMA, List.of("new-1.parquet"));
    assertThat(cached.latestVersion()).isEqualTo(1);
    assertThat(paths(cached.filesAt(-1))).containsExactly("new-0.parquet", "new-1.parquet");
    assertThat(cached.schema()).contains(OTHER_SCHEMA);
  }

  @Test
  void aTableRecreatedWithTheSameVersionsWhileCachedIsNotServedStale() throws Exception {
    DeltaTable cached = DeltaTable.at(table());
    DeltaLog writer = DeltaLog.forTable(new Configuration(), table());
    commit(writer, List.of("old-0.parquet"), Optional.empty());
    commit(writer, List.of("old-1.parquet"), Optional.empty());
    assertThat(paths(cached.filesAt(-1))).containsExactly("old-0.parquet", "old-1.parquet");

    // Deleted and re-created without the cache looking in between: the same versions, another
    // schema (delta-standalone's update() alone would keep the old one).
    deleteTable();
    DeltaLog recreator = DeltaLog.forTable(new Configuration(), table());
    commit(recreator, OTHER_SCHEMA, List.of("new-0.parquet"));
    commit(recreator, OTHER_SCHEMA, List.of("new-1.parquet"));

    assertThat(cached.latestVersion()).isEqualTo(1);
    assertThat(cached.schema()).contains(OTHER_SCHEMA);
    assertThat(paths(cached.filesAt(-1))).containsExactly("new-0.parquet", "new-1.parquet");
    assertThat(paths(cached.filesAt(0))).containsExactly("new-0.parquet");
  }

  @Test
  void aTableRecreatedWithMoreVersionsWhileCachedIsNotServedStale() throws Exception {
    DeltaTable cached = DeltaTable.at(table());
    DeltaLog writer = DeltaLog.forTable(new Configuration(), table());
    commit(writer, List.of("old-0.parquet"), Optional.empty());
    commit(writer, List.of("old-1.parquet"), Optional.empty());
    assertThat(cached.latestVersion()).isEqualTo(1);

    deleteTable();
    DeltaLog recreator = DeltaLog.forTable(new Configuration(), table());
    for (int v = 0; v <= 3; v++) {
      commit(recreator, OTHER_SCHEMA, List.of("new-" + v + ".parquet"));
    }

    assertThat(cached.latestVersion()).isEqualTo(3);
    assertThat(cached.schema()).contains(OTHER_SCHEMA);
    assertThat(cached.partitionColumns()).isEmpty();
    assertThat(paths(cached.filesAt(-1)))
        .containsExactly("new-0.parquet", "new-1.parquet", "new-2.parquet", "new-3.parquet");
  }

  @Test
  void aRecreatedTableWhoseLogTheCachedSnapshotCannotListFromIsLoadedAfresh() throws Exception {
    DeltaTable cached = DeltaTable.at(table());
    DeltaLog writer = DeltaLog.forTable(new Configuration(), table());
    for (int v = 0; v <= 10; v++) {
      commit(writer, List.of("old-" + v + ".parquet"), Optional.empty());
    }
    assertThat(cached.latestVersion()).isEqualTo(10); // cached snapshot starts at checkpoint 10

    // Re-created up to version 10, its checkpoint not written yet: listing from the old
    // snapshot's checkpoint finds 10.json without a checkpoint, which delta-standalone rejects.
    deleteTable();
    DeltaLog recreator = DeltaLog.forTable(new Configuration(), table());
    for (int v = 0; v <= 10; v++) {
      commit(recreator, List.of("new-" + v + ".parquet"), Optional.empty());
    }
    try (Stream<Path> log = Files.list(dir.resolve("t/_delta_log"))) {
      for (Path p : log.toList()) {
        String name = p.getFileName().toString();
        if (name.contains("checkpoint")) {
          Files.delete(p);
        }
      }
    }

    assertThat(cached.latestVersion()).isEqualTo(10);
    assertThat(cached.filesAt(-1)).hasSize(11);
    assertThat(paths(cached.filesAt(-1))).allMatch(p -> p.startsWith("new-"));
  }

  @Test
  void blindAppendsFromTwoThreadsThroughOneCachedLogBothLand() throws Exception {
    DeltaLog setup = DeltaLog.forTable(new Configuration(), table());
    commit(setup, List.of("base.parquet"), Optional.empty());
    for (int round = 0; round < 5; round++) {
      String a = "a-" + round + ".parquet";
      String b = "b-" + round + ".parquet";
      List<Object> outcomes =
          together(
              () -> commit(DeltaTable.at(table()).log(), List.of(a), Optional.empty()),
              () -> commit(DeltaTable.at(table()).log(), List.of(b), Optional.empty()));
      long base = 1 + 2L * round;
      assertThat(outcomes).containsExactlyInAnyOrder(base, base + 1);
      assertThat(paths(DeltaTable.at(table()).filesAt(-1))).contains(a, b);
    }
    assertThat(DeltaTable.at(table()).filesAt(-1)).hasSize(11);
    assertThat(DeltaLog.forTable(new Configuration(), table()).update().getAllFiles()).hasSize(11);
  }

  @Test
  void twoThreadsThatReadTheWholeTableThroughOneCachedLogConflictAndOnlyOneLands()
      throws Exception {
    DeltaLog setup = DeltaLog.forTable(new Configuration(), table());
    commit(setup, List.of("base.parquet"), Optional.empty());
    CountDownLatch bothStarted = new CountDownLatch(2);
    List<Object> outcomes =
        together(
            () -> readingCommit(bothStarted, file("a")),
            () -> readingCommit(bothStarted, file("b")));

    assertThat(outcomes).filteredOn(o -> o instanceof Long).containsExactly(1L);
    assertThat(outcomes)
        .filteredOn(o -> !(o instanceof Long))
        .singleElement()
        .isInstanceOf(ConcurrentAppendException.class);
    List<String> files =
        paths(DeltaLog.forTable(new Configuration(), table()).update().getAllFiles());
    assertThat(files).hasSize(2).contains("base.parquet");
    assertThat(paths(DeltaTable.at(table()).filesAt(-1))).isEqualTo(files);
  }

  @Test
  void threadsThatMissTheCacheTogetherAllGetOneLog() throws Exception {
    commit(DeltaLog.forTable(new Configuration(), table()), List.of("a.parquet"), Optional.empty());
    for (int round = 0; round < 20; round++) {
      // A setting of its own per round: a cache key nobody has opened yet.
      Map<String, String> settings = Map.of("ticklake.test.round", Integer.toString(round));
      Callable<Object> open = () -> DeltaTable.at(table(), settings).log();
      List<Object> logs = together(open, open, open, open);
      assertThat(logs).allMatch(log -> log instanceof DeltaLog);
      assertThat(logs).allMatch(log -> log == logs.get(0));
      assertThat(DeltaTable.at(table(), settings).log()).isSameAs(logs.get(0));
    }
  }

  @Test
  void theCacheIsBounded() {
    for (int i = 0; i < DeltaLogs.MAX_TABLES + 20; i++) {
      DeltaTable.at(dir.resolve("absent-" + i).toString()).exists();
    }
    assertThat(DeltaLogs.size()).isLessThanOrEqualTo(DeltaLogs.MAX_TABLES);
  }

  private static String file(String name) {
    return name + ".parquet";
  }

  /** Both threads start their transaction (and read the table) before either commits. */
  private long readingCommit(CountDownLatch bothStarted, String file) throws Exception {
    OptimisticTransaction txn = DeltaTable.at(table()).log().startTransaction();
    txn.readWholeTable();
    bothStarted.countDown();
    bothStarted.await();
    return txn.commit(List.of(add(file)), op(), "test").getVersion();
  }

  /** Commits {@code files} (creating the table first if needed); returns the committed version. */
  private static long commit(DeltaLog log, List<String> files, Optional<SetTransaction> txnAction) {
    return commit(log, SCHEMA, files, txnAction);
  }

  private static long commit(DeltaLog log, StructType schema, List<String> files) {
    return commit(log, schema, files, Optional.empty());
  }

  private static long commit(
      DeltaLog log, StructType schema, List<String> files, Optional<SetTransaction> txnAction) {
    OptimisticTransaction txn = log.startTransaction();
    if (txn.readVersion() < 0) {
      txn.updateMetadata(Metadata.builder().schema(schema).build());
    }
    List<Action> actions = new ArrayList<>();
    files.forEach(f -> actions.add(add(f)));
    txnAction.ifPresent(actions::add);
    return txn.commit(actions, op(), "test").getVersion();
  }

  private static AddFile add(String path) {
    return new AddFile(path, Map.of(), 10, System.currentTimeMillis(), true, null, null);
  }

  private static Operation op() {
    return new Operation(Operation.Name.WRITE);
  }

  private static List<String> paths(List<AddFile> files) {
    return files.stream().map(AddFile::getPath).sorted().toList();
  }

  private boolean checkpointExists(long version) {
    return Files.exists(
        dir.resolve("t/_delta_log").resolve(String.format("%020d.checkpoint.parquet", version)));
  }

  private void deleteTable() {
    Directories.deleteRecursively(dir.resolve("t"));
  }

  /** Runs the calls on threads released together; each result or the exception it threw. */
  @SafeVarargs
  private static List<Object> together(Callable<Object>... calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.length);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (Callable<Object> c : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return c.call();
                }));
      }
      start.countDown();
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          out.add(e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}

package dev.ticklake.transforms.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.transforms.delta.internal.AtomicLocalLogStore;
import dev.ticklake.transforms.delta.internal.HadoopConf;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.io.File;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicLocalLogStoreTest {
  private static final int COMMITS_PER_WRITER = 25;

  @TempDir Path dir;

  private final Configuration conf = HadoopConf.of(Map.of());
  private final AtomicLocalLogStore store = new AtomicLocalLogStore(conf);

  @Test
  void aCommitFileThatExistsIsNeverReplaced() throws Exception {
    Path commit = dir.resolve("00000000000000000003.json");
    store.write(hadoop(commit), lines("first"), false, conf);

    assertThatThrownBy(() -> store.write(hadoop(commit), lines("second"), false, conf))
        .isInstanceOf(FileAlreadyExistsException.class);

    assertThat(Files.readAllLines(commit, UTF_8)).containsExactly("first");
    assertThat(namesIn(dir)).containsExactly("00000000000000000003.json");
  }

  @Test
  void anOverwriteReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
    Path lastCheckpoint = dir.resolve("_last_checkpoint");
    store.write(hadoop(lastCheckpoint), lines("{\"version\":10}"), true, conf);
    store.write(hadoop(lastCheckpoint), lines("{\"version\":20}", "extra"), true, conf);

    assertThat(Files.readAllLines(lastCheckpoint, UTF_8))
        .containsExactly("{\"version\":20}", "extra");
    assertThat(namesIn(dir)).containsExactly("_last_checkpoint");
    assertThat(store.isPartialWriteVisible(hadoop(lastCheckpoint), conf)).isFalse();
  }

  @Test
  void tickLakeOpensLocalTablesWithThisStore() {
    assertThat(conf.get(AtomicLocalLogStore.SETTING))
        .isEqualTo(AtomicLocalLogStore.class.getName());
    assertThat(
            HadoopConf.of(Map.of(AtomicLocalLogStore.SETTING, "x.Other"))
                .get(AtomicLocalLogStore.SETTING))
        .isEqualTo("x.Other");
  }

  /**
   * A child JVM and two logs of this JVM (which share no lock, like processes) race for every
   * version with blind appends: every commit lands exactly once, each in a version of its own. With
   * delta-standalone's default local store this failed: commits were overwritten (lost), left a
   * commit file whose checksum no longer matched, or (two checkpoints at once) a writer whose
   * commit had landed got an exception.
   */
  @Test
  void writersInTwoProcessesRacingForEveryVersionAllLandOnce() throws Exception {
    String table = dir.resolve("t").toString();
    DeltaLog setup = DeltaLog.forTable(HadoopConf.of(Map.of()), table);
    OptimisticTransaction create = setup.startTransaction();
    create.updateMetadata(
        Metadata.builder()
            .schema(new StructType(new StructField[] {new StructField("n", new LongType())}))
            .build());
    create.commit(List.of(add("base.parquet")), op(), "test");

    Path start = dir.resolve("start");
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                BlindAppendChild.class.getName(),
                table,
                start.toString(),
                "child",
                Integer.toString(COMMITS_PER_WRITER))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (String prefix : List.of("a", "b")) {
        DeltaLog own = DeltaLog.forTable(HadoopConf.of(Map.of()), table);
        writers.add(
            pool.submit(
                () -> {
                  while (!Files.exists(start)) {
                    Thread.onSpinWait();
                  }
                  for (int i = 0; i < COMMITS_PER_WRITER; i++) {
                    blindAppend(own, prefix + "-" + i + ".parquet");
                  }
                  return null;
                }));
      }
      Files.createFile(start);
      for (Future<?> w : writers) {
        w.get(120, TimeUnit.SECONDS);
      }
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
    } finally {
      pool.shutdownNow();
      child.destroyForcibly();
    }

    Set<String> expected = new HashSet<>(Set.of("base.parquet"));
    for (String prefix : List.of("a", "b", "child")) {
      for (int i = 0; i < COMMITS_PER_WRITER; i++) {
        expected.add(prefix + "-" + i + ".parquet");
      }
    }
    DeltaLog fresh = DeltaLog.forTable(new Configuration(), table);
    assertThat(fresh.update().getVersion()).isEqualTo(3L * COMMITS_PER_WRITER);
    List<String> added = new ArrayList<>();
    Iterator<VersionLog> changes = fresh.getChanges(0, true);
    while (changes.hasNext()) {
      List<String> inVersion =
          changes.next().getActions().stream()
              .filter(a -> a instanceof AddFile)
              .map(a -> ((AddFile) a).getPath())
              .toList();
      assertThat(inVersion).hasSize(1);
      added.addAll(inVersion);
    }
    assertThat(added).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fresh.snapshot().getAllFiles()).hasSize(expected.size());
    assertThat(namesIn(dir.resolve("t/_delta_log"))).noneMatch(n -> n.endsWith(".tmp"));
  }

  /** Commits one added file without reading the table, as an append does. */
  static long blindAppend(DeltaLog log, String file) {
    return log.startTransaction().commit(List.of(add(file)), op(), "test").getVersion();
  }

  private static AddFile add(String path) {
    return new AddFile(path, Map.of(), 10, System.currentTimeMillis(), true, null, null);
  }

  private static Operation op() {
    return new Operation(Operation.Name.WRITE);
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(new File(p.toString()).toURI());
  }

  private static Iterator<String> lines(String... lines) {
    return List.of(lines).iterator();
  }

  private static List<String> namesIn(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

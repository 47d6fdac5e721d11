package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.transforms.delta.internal.HadoopConf;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
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
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-process commit race of {@link AtomicLocalLogStore}: starts a child JVM. */
class AtomicLocalLogStoreRaceIT {
  private static final int COMMITS_PER_WRITER = 25;

  @TempDir Path dir;

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
    create.commit(
        List.of(AtomicLocalLogStoreTest.add("base.parquet")), AtomicLocalLogStoreTest.op(), "test");

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
                    AtomicLocalLogStoreTest.blindAppend(own, prefix + "-" + i + ".parquet");
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
    assertThat(AtomicLocalLogStoreTest.namesIn(dir.resolve("t/_delta_log")))
        .noneMatch(n -> n.endsWith(".tmp"));
  }
}

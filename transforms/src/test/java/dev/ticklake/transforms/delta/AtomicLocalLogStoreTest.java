package dev.ticklake.transforms.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.transforms.delta.internal.AtomicLocalLogStore;
import dev.ticklake.transforms.delta.internal.HadoopConf;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.actions.AddFile;
import java.io.File;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicLocalLogStoreTest {
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

  /** Commits one added file without reading the table, as an append does. */
  static long blindAppend(DeltaLog log, String file) {
    return log.startTransaction().commit(List.of(add(file)), op(), "test").getVersion();
  }

  static AddFile add(String path) {
    return new AddFile(path, Map.of(), 10, System.currentTimeMillis(), true, null, null);
  }

  static Operation op() {
    return new Operation(Operation.Name.WRITE);
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(new File(p.toString()).toURI());
  }

  private static Iterator<String> lines(String... lines) {
    return List.of(lines).iterator();
  }

  static List<String> namesIn(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

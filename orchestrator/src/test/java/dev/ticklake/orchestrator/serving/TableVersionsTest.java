package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableVersionsTest {
  @TempDir Path table;

  private final TableVersions versions = new TableVersions(new Configuration());

  @Test
  void followsNewCommitsAndIgnoresCheckpointsAndOtherFiles() throws IOException {
    assertThat(versions.latest(location())).as("no table yet").isEqualTo(-1);
    commit(0);
    assertThat(versions.latest(location())).isZero();
    commit(1);
    commit(2);
    Files.writeString(log().resolve(String.format("%020d.checkpoint.parquet", 2)), "");
    Files.writeString(log().resolve("_last_checkpoint"), "{}");
    Files.writeString(log().resolve(String.format("%020d.json.tmp", 3)), "");
    assertThat(versions.latest(location())).as("two commits since the last call").isEqualTo(2);
    commit(3);
    assertThat(versions.latest(location())).isEqualTo(3);
    assertThat(versions.latest(location())).isEqualTo(3);
  }

  @Test
  void aTableDeletedAndRecreatedIsListedAgain() throws IOException {
    for (int v = 0; v <= 5; v++) {
      commit(v);
    }
    assertThat(versions.latest(location())).isEqualTo(5);
    try (var files = Files.list(log())) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    assertThat(versions.latest(location())).as("deleted").isEqualTo(-1);
    commit(0);
    commit(1);
    assertThat(versions.latest(location())).as("recreated").isEqualTo(1);
  }

  @Test
  void oldCommitFilesRemovedByLogCleanupDoNotMatter() throws IOException {
    for (int v = 0; v <= 12; v++) {
      commit(v);
    }
    assertThat(versions.latest(location())).isEqualTo(12);
    for (int v = 0; v < 10; v++) {
      Files.delete(log().resolve(String.format("%020d.json", v)));
    }
    commit(13);
    assertThat(versions.latest(location())).isEqualTo(13);
    assertThat(new TableVersions(new Configuration()).latest(location()))
        .as("a fresh instance lists")
        .isEqualTo(13);
  }

  private String location() {
    return table.toUri().toString();
  }

  private Path log() throws IOException {
    return Files.createDirectories(table.resolve("_delta_log"));
  }

  private void commit(long version) throws IOException {
    Files.writeString(log().resolve(String.format("%020d.json", version)), "{}\n");
  }
}

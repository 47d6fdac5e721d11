package dev.ticklake.orchestrator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeRootHealthCheckTest {

  @TempDir Path tempDir;

  @Test
  void healthyForAnExistingDirectoryAndLeavesNoProbeBehind() throws IOException {
    Result result = new LakeRootHealthCheck(tempDir.toString()).execute();

    assertThat(result.isHealthy()).as(result.getMessage()).isTrue();
    assertThat(result.getMessage()).contains(tempDir.toString());
    try (Stream<Path> leftovers = Files.list(tempDir)) {
      assertThat(leftovers).isEmpty();
    }
  }

  @Test
  void createsAMissingDirectoryGivenAsFileUri() {
    Path lakeRoot = tempDir.resolve("a/b/lake");

    Result result = new LakeRootHealthCheck(lakeRoot.toUri().toString()).execute();

    assertThat(result.isHealthy()).as(result.getMessage()).isTrue();
    assertThat(lakeRoot).isDirectory();
  }

  @Test
  void unhealthyWhenTheLakeRootIsAFile() throws IOException {
    Path file = Files.writeString(tempDir.resolve("not-a-dir"), "x");

    Result result = new LakeRootHealthCheck(file.toString()).execute();

    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage()).contains(file.toString()).contains("not a directory");
  }

  @Test
  void unhealthyWhenTheLakeRootCannotBeCreated() throws IOException {
    // A directory below a regular file can never be created, even by root.
    Path file = Files.writeString(tempDir.resolve("blocker"), "x");
    Path lakeRoot = file.resolve("lake");

    Result result = new LakeRootHealthCheck(lakeRoot.toString()).execute();

    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage()).contains(lakeRoot.toString()).contains("TICKLAKE_LAKE_ROOT");
  }
}

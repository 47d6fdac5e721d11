package dev.ticklake.orchestrator.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.transforms.delta.HadoopSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildTryProtocolTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    HadoopSettings.setProcessWide(Map.of());
  }

  @Test
  void theServicesHadoopSettingsReachTheSubprocessTry() throws Exception {
    Map<String, String> s3a =
        Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000", "fs.s3a.path.style.access", "true");
    HadoopSettings.setProcessWide(s3a);
    RunContext ctx =
        new RunContext(
            "s3a://bucket/lake",
            "localhost:9092",
            "run-1",
            "silver",
            1,
            Instant.parse("2026-11-20T00:00:00Z"),
            RunnerSettings.DIRECT);
    Path request = dir.resolve("request.json");
    ChildTryProtocol.writeRequest(
        request, new TaskRun("refine_silver", Map.of(), ctx, Optional.empty()));
    HadoopSettings.setProcessWide(Map.of()); // as in a fresh child JVM

    TaskRun read = ChildTryProtocol.readRequest(request);

    assertThat(read.context().lakeRoot()).isEqualTo("s3a://bucket/lake");
    assertThat(HadoopSettings.processWide()).isEqualTo(s3a);
  }
}

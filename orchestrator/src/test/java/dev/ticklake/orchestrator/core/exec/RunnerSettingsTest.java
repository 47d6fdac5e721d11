package dev.ticklake.orchestrator.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.pipelines.IngestBronzeJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerSettingsTest {

  @TempDir Path tmp;

  private static RunContext ctx(RunnerSettings runner) {
    return new RunContext(
        "/tmp/lake",
        "127.0.0.1:9092",
        "r1",
        "t1",
        1,
        Instant.parse("2026-01-01T00:00:00Z"),
        runner);
  }

  @Test
  void aJobJarOnTheClustersClasspathIsNotUploadedOnlyAPlaceholderIsStaged() throws Exception {
    RunnerSettings lib =
        new RunnerSettings("flink-remote", "jm:8081")
            .withFlinkJob(RunnerSettings.JOB_JAR_ON_CLUSTER, 0);
    assertThat(lib.jobJarOnCluster()).isTrue();
    String staged = lib.beamOptions().get("filesToStage");
    assertThat(staged).endsWith(".jar");
    try (JarFile jar = new JarFile(staged)) {
      assertThat(jar.stream().map(ZipEntry::getName)).containsExactly("META-INF/MANIFEST.MF");
    }
    assertThat(new RunnerSettings("flink-remote", "jm:8081").jobJarOnCluster()).isFalse();
  }

  @Test
  void directParallelismBecomesTargetParallelism() {
    assertThat(new RunnerSettings("direct", "", 1).beamArgs())
        .containsExactly("--runner=DirectRunner", "--targetParallelism=1");
    assertThat(RunnerSettings.DIRECT.beamArgs()).containsExactly("--runner=DirectRunner");
    assertThat(RunnerSettings.DIRECT.directParallelism()).isZero();
    // Only the DirectRunner has the option; Flink's parallelism is configured elsewhere.
    assertThat(new RunnerSettings("flink-local", "", 2).beamArgs())
        .containsExactly("--runner=FlinkRunner", "--flinkMaster=[local]");
  }

  @Test
  void thePipelineSeesTheSettingAndATaskOptionOverridesIt() {
    IngestBronzeJob.Options fromSettings =
        Pipelines.options(
            IngestBronzeJob.Options.class,
            Map.of(),
            ctx(new RunnerSettings("direct", "", 1)),
            true);
    assertThat(fromSettings.as(DirectOptions.class).getTargetParallelism()).isEqualTo(1);

    IngestBronzeJob.Options overridden =
        Pipelines.options(
            IngestBronzeJob.Options.class,
            Map.of("targetParallelism", "4"),
            ctx(new RunnerSettings("direct", "", 1)),
            true);
    assertThat(overridden.as(DirectOptions.class).getTargetParallelism()).isEqualTo(4);

    IngestBronzeJob.Options beamDefault =
        Pipelines.options(
            IngestBronzeJob.Options.class, Map.of(), ctx(RunnerSettings.DIRECT), true);
    assertThat(beamDefault.as(DirectOptions.class).getTargetParallelism())
        .isEqualTo(Math.max(3, Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void negativeParallelismIsRejectedWithTheFix() {
    assertThatThrownBy(() -> new RunnerSettings("direct", "", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("directParallelism must be >= 0 (0: Beam's default), got -1");
  }

  @Test
  void aChildTryGetsTheSameSettings() throws Exception {
    TaskRun run =
        new TaskRun(
            "noop",
            Map.of("k", "v"),
            ctx(new RunnerSettings("direct", "", 2)),
            Optional.of(Duration.ofSeconds(5)));
    Path file = tmp.resolve("request.json");
    ChildTryProtocol.writeRequest(file, run);
    TaskRun back = ChildTryProtocol.readRequest(file);
    assertThat(back.context().runner()).isEqualTo(new RunnerSettings("direct", "", 2));
    assertThat(back.context()).isEqualTo(run.context());
  }
}

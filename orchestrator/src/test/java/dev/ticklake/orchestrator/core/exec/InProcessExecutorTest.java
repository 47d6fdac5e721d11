package dev.ticklake.orchestrator.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InProcessExecutorTest {

  private static RunContext ctx(int tryNumber) {
    return new RunContext(
        "/tmp/lake",
        "127.0.0.1:9092",
        "r1",
        "t1",
        tryNumber,
        Instant.parse("2026-01-01T00:00:00Z"),
        RunnerSettings.DIRECT);
  }

  @Test
  void aThreadThatIgnoresTheInterruptIsFailedAndAbandonedAndItsSlotFreed() throws Exception {
    AtomicBoolean release = new AtomicBoolean();
    Pipelines pipelines =
        new Pipelines()
            .register(
                "stubborn",
                (options, c) -> {
                  while (!release.get()) {
                    Thread.onSpinWait(); // ignores interrupts
                  }
                  return PipelineOutcome.of("OK", "late");
                });
    try (InProcessExecutor executor =
        new InProcessExecutor(pipelines, 1, Duration.ofMillis(100), Clock.systemUTC())) {
      CompletableFuture<TaskResult> done = new CompletableFuture<>();
      assertThat(
              executor.submit(
                  new TaskRun("stubborn", Map.of(), ctx(1), Optional.of(Duration.ofMillis(100))),
                  done::complete))
          .isTrue();
      assertThat(executor.freeSlots()).isZero();
      TaskResult result = done.get(10, TimeUnit.SECONDS);
      assertThat(result.succeeded()).isFalse();
      assertThat(result.error()).isInstanceOf(TaskTimeoutException.class);
      assertThat(result.error().getMessage()).contains("abandoned");
      assertThat(result.log()).contains("interrupting the worker thread", "abandoned");
      assertThat(executor.freeSlots()).isEqualTo(1);
      release.set(true);
    }
  }

  @Test
  void registryPassesTheRunContextAsBeamArgumentsAndTaskOptionsOverride() {
    String[] args =
        Pipelines.beamArgs(Map.of("lakeRoot", "/other", "maxRecordsPerBatch", "5"), ctx(2), true);
    assertThat(args)
        .contains(
            "--runner=DirectRunner",
            "--runId=r1",
            "--taskId=t1",
            "--logicalTime=2026-01-01T00:00:00Z",
            "--bootstrapServers=127.0.0.1:9092",
            "--lakeRoot=/other",
            "--maxRecordsPerBatch=5")
        .doesNotContain("--lakeRoot=/tmp/lake");
    assertThat(new RunnerSettings("flink-remote", "jm:8081").beamArgs())
        .containsExactly(
            "--runner=FlinkRunner",
            "--flinkMaster=jm:8081",
            "--filesToStage=" + RunnerSettings.DEFAULT_FLINK_JOB_JAR);
    assertThat(
            new RunnerSettings("flink-remote", "jm:8081").withFlinkJob("/jobs/p.jar", 2).beamArgs())
        .containsExactly(
            "--runner=FlinkRunner",
            "--flinkMaster=jm:8081",
            "--filesToStage=/jobs/p.jar",
            "--parallelism=2");
    assertThat(Pipelines.standard().names())
        .containsExactlyInAnyOrder(
            "ingest-bronze",
            "refine-silver",
            "build-gold",
            "build-features",
            "train-model",
            "score",
            "backtest",
            "compact-tables",
            "vacuum-tables",
            "noop",
            "sleep",
            "fail",
            "spawn");
  }
}

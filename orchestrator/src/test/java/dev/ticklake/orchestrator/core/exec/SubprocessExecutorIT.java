package dev.ticklake.orchestrator.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.orchestrator.core.retry.NonRetryableException;
import dev.ticklake.orchestrator.core.retry.Retryability;
import dev.ticklake.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs on this JVM's java and class path. */
class SubprocessExecutorIT {

  /** Small, fast-starting children. */
  static final String FAST_JVM = "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private static final long WAIT_SECONDS = 180;

  @TempDir Path tmp;
  private SubprocessExecutor executor;

  @BeforeEach
  void setUp() {
    SubprocessSettings s = SubprocessSettings.of(2, FAST_JVM);
    executor =
        new SubprocessExecutor(
            new SubprocessSettings(
                s.workers(), s.javaBinary(), s.classPath(), s.jvmOptions(), tmp.resolve("work")),
            Duration.ofMillis(500),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    executor.close();
  }

  private TaskRun run(
      String pipeline, Map<String, String> options, int tryNumber, Duration timeout) {
    RunContext ctx =
        new RunContext(
            tmp.resolve("lake").toString(),
            "127.0.0.1:1",
            "d__manual__2026-01-01T00:00:00Z",
            "t",
            tryNumber,
            Instant.parse("2026-01-01T00:00:00Z"),
            RunnerSettings.DIRECT);
    return new TaskRun(pipeline, options, ctx, Optional.ofNullable(timeout));
  }

  private TaskResult runToEnd(TaskRun run) throws Exception {
    CompletableFuture<TaskResult> done = new CompletableFuture<>();
    assertThat(executor.submit(run, done::complete)).isTrue();
    return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private ProcessHandle awaitChild(String key) {
    return Await.until(
            Duration.ofSeconds(WAIT_SECONDS),
            "a child JVM for " + key,
            () -> executor.process(key),
            Optional::isPresent)
        .orElseThrow();
  }

  private static void assertGone(long pid) throws Exception {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isPresent()) {
      // Reaped a moment after exit: wait for it rather than assume.
      p.get().onExit().get(30, TimeUnit.SECONDS);
      assertThat(p.get().isAlive()).isFalse();
    }
  }

  @Test
  void aSuccessfulTryReturnsTheChildsOutcomeAndKeepsItsOutputAsTheLog() throws Exception {
    TaskResult r = runToEnd(run("fail", Map.of("failTimes", "1"), 2, null));

    assertThat(r.error()).isNull();
    assertThat(r.outcome()).isEqualTo(PipelineOutcome.of("OK", "succeeded on try 2"));
    assertThat(r.log())
        .contains(
            "start try 2 of d__manual__2026-01-01T00:00:00Z/t: pipeline fail, logical time"
                + " 2026-01-01T00:00:00Z, options {failTimes=1}",
            "in a child JVM (pid ",
            "child output:\n",
            ": try 2 of d__manual__2026-01-01T00:00:00Z/t, pipeline fail",
            "status OK: succeeded on try 2",
            "(end of child output)",
            "end: success in ");
    try (var files = Files.walk(tmp.resolve("work"))) {
      // request, result and output are removed after the try (folders of outputs may stay)
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void theChildsLineageComesBackWithTheOutcome() throws Exception {
    TaskResult r =
        runToEnd(
            run(
                "noop",
                Map.of(
                    "reads",
                    "kafka://127.0.0.1:1|market.ticks@0:[0,5);file|/lake/bronze/ticks@(12,15]",
                    "writes",
                    "file|/lake/silver/ticks@16"),
                1,
                null));

    assertThat(r.error()).isNull();
    assertThat(r.outcome().lineage())
        .isEqualTo(
            new TaskLineage(
                List.of(
                    new DatasetVersion(
                        new Dataset("kafka://127.0.0.1:1", "market.ticks"), "0:[0,5)"),
                    new DatasetVersion(new Dataset("file", "/lake/bronze/ticks"), "(12,15]")),
                List.of(new DatasetVersion(new Dataset("file", "/lake/silver/ticks"), "16"))));

    TaskResult none = runToEnd(run("noop", Map.of(), 1, null));
    assertThat(none.outcome().lineage()).isEqualTo(TaskLineage.NONE);

    TaskResult bad = runToEnd(run("noop", Map.of("writes", "no-version"), 1, null));
    assertThat(Retryability.isRetryable(bad.error())).isFalse();
    assertThat(bad.error()).hasMessageContaining("lineage entry 'no-version' is not");
  }

  @Test
  void aFailureComesBackWithItsClassMessageAndRetryability() throws Exception {
    TaskResult retryable = runToEnd(run("fail", Map.of(), 1, null));
    TaskResult fatal = runToEnd(run("fail", Map.of("nonRetryable", "true"), 1, null));
    TaskResult unknown = runToEnd(run("no-such-pipeline", Map.of(), 1, null));

    assertThat(retryable.error())
        .isExactlyInstanceOf(ChildTryException.class)
        .hasMessage("java.lang.IllegalStateException: fail pipeline: failing try 1 on purpose");
    assertThat(Retryability.isRetryable(retryable.error())).isTrue();
    assertThat(retryable.log())
        .contains(
            "error: java.lang.IllegalStateException: fail pipeline: failing try 1 on purpose",
            "at dev.ticklake.orchestrator.core.exec.TestPipelines.fail",
            "end: failed in ",
            "child exit code 1");
    assertThat(fatal.error())
        .isInstanceOf(NonRetryableException.class)
        .hasMessage(
            "dev.ticklake.orchestrator.core.retry.NonRetryableException: fail pipeline: failing"
                + " try 1 on purpose");
    assertThat(Retryability.isRetryable(fatal.error())).isFalse();
    assertThat(unknown.error())
        .isInstanceOf(NonRetryableException.class)
        .hasMessageEndingWith("unknown pipeline 'no-such-pipeline'");
  }

  @Test
  void aTimeoutTerminatesTheChildAndFailsTheTry() throws Exception {
    TaskRun slow = run("sleep", Map.of("millis", "600000"), 1, Duration.ofSeconds(3));
    CompletableFuture<TaskResult> done = new CompletableFuture<>();
    assertThat(executor.submit(slow, done::complete)).isTrue();
    long pid = awaitChild(slow.key()).pid();

    TaskResult r = done.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(r.error())
        .isInstanceOf(TaskTimeoutException.class)
        .hasMessageStartingWith(
            "execution_timeout of PT3S exceeded; the child JVM (pid " + pid + ") was terminated");
    assertThat(Retryability.isRetryable(r.error())).isTrue();
    assertThat(r.log()).contains("execution_timeout PT3S exceeded: terminating the child JVM");
    assertGone(pid);
    assertThat(executor.process(slow.key())).isEmpty();
  }

  @Test
  void aChildKilledWithSigkillIsAFailedTryWithItsExitCode() throws Exception {
    TaskRun slow = run("sleep", Map.of("millis", "600000"), 1, null);
    CompletableFuture<TaskResult> done = new CompletableFuture<>();
    assertThat(executor.submit(slow, done::complete)).isTrue();
    ProcessHandle child = awaitChild(slow.key());

    assertThat(child.destroyForcibly()).isTrue(); // SIGKILL on Unix
    TaskResult r = done.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(r.error())
        .isExactlyInstanceOf(ChildTryException.class)
        .hasMessage(
            "the child JVM (pid "
                + child.pid()
                + ") exited with code 137 (killed by signal 9, SIGKILL) without reporting a"
                + " result");
    assertThat(Retryability.isRetryable(r.error())).isTrue();
    assertGone(child.pid());
  }

  @Test
  void slotsAreLimitedAndClosingKillsRunningChildrenWithoutReporting() throws Exception {
    AtomicBoolean reported = new AtomicBoolean();
    TaskRun a = run("sleep", Map.of("millis", "600000"), 1, null);
    TaskRun b = run("sleep", Map.of("millis", "600000"), 2, null);
    assertThat(executor.submit(a, r -> reported.set(true))).isTrue();
    assertThat(executor.submit(b, r -> reported.set(true))).isTrue();
    assertThat(executor.freeSlots()).isZero();
    assertThat(executor.submit(run("noop", Map.of(), 3, null), r -> reported.set(true))).isFalse();
    long pidA = awaitChild(a.key()).pid();
    long pidB = awaitChild(b.key()).pid();

    executor.close();

    assertGone(pidA);
    assertGone(pidB);
    assertThat(executor.freeSlots()).isZero();
    assertThat(reported).isFalse();
  }

  @Test
  void describesSignalExitCodes() {
    assertThat(SubprocessExecutor.describeExit(137)).isEqualTo(" (killed by signal 9, SIGKILL)");
    assertThat(SubprocessExecutor.describeExit(143)).isEqualTo(" (killed by signal 15, SIGTERM)");
    assertThat(SubprocessExecutor.describeExit(1)).isEmpty();
  }
}

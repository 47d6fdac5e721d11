package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.SubprocessSettings;
import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.Lineage;
import dev.ticklake.orchestrator.core.lineage.LineageSettings;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.LineageDao;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks with {@code executor: subprocess} run by the real scheduler in real child JVMs. */
class SubprocessSchedulerIT {

  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir Path tmp;
  private SchedulerHarness h;
  private Scheduler s;

  @BeforeEach
  void setUp() throws Exception {
    h = new SchedulerHarness(tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (s != null) {
      s.stop();
    }
    h.close();
  }

  private Scheduler start() {
    return start(null);
  }

  private Scheduler start(Lineage lineage) {
    s =
        new Scheduler(
            h.jdbi,
            Pipelines.standard(),
            h.settings()
                .withSubprocess(
                    SubprocessSettings.of(2, "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")),
            Clock.systemUTC());
    if (lineage != null) {
      s.setTaskLifecycleListener(lineage.listener());
    }
    s.start();
    return s;
  }

  private String lastReason(String runId, String taskId) {
    List<TaskEvent> events = h.tasks.events(runId, taskId);
    return events.get(events.size() - 1).reason();
  }

  @Test
  void aFailedTryInAChildJvmIsRetriedAndSucceedsNextToAnInProcessTask() throws Exception {
    h.dag(
        "iso",
        """
        executor: subprocess
        tasks:
          - {task_id: flaky, pipeline: fail, options: {failTimes: 1}, retries: 2, retry_delay: 10ms}
          - {task_id: local, pipeline: noop, upstream: [flaky], executor: in_process}
        """);
    DagRun run = start().trigger("iso", null);

    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    TaskInstance flaky = h.tasks.find(run.runId(), "flaky").orElseThrow();
    assertThat(flaky.tryNumber()).isEqualTo(2);
    assertThat(flaky.executor()).isEqualTo("subprocess");
    assertThat(h.tasks.find(run.runId(), "local").orElseThrow().executor()).isEqualTo("in_process");
    assertThat(h.logs.find(run.runId(), "flaky", 1).orElseThrow())
        .contains(
            "in a child JVM (pid ",
            "java.lang.IllegalStateException: fail pipeline: failing try 1 on purpose",
            "at dev.ticklake.orchestrator.core.exec.TestPipelines.fail");
    assertThat(h.logs.find(run.runId(), "flaky", 2).orElseThrow())
        .contains("status OK: succeeded on try 2", "end: success");
    assertThat(h.logs.find(run.runId(), "local", 1).orElseThrow()).doesNotContain("child JVM");
    assertThat(h.tasks.events(run.runId(), "flaky"))
        .extracting(TaskEvent::reason)
        .contains("handed to the subprocess executor")
        .anyMatch(r -> r.startsWith("try 1 failed, retry in PT0.01S: "));
  }

  @Test
  void triesInAChildJvmRecordTheLineageTheChildReports() throws Exception {
    h.dag(
        "lin",
        """
        executor: subprocess
        tasks:
          - {task_id: a, pipeline: noop, options: {reads: "file|/lake/bronze/ticks@(3,5]", writes: "file|/lake/silver/ticks@7"}}
        """);
    Path events = tmp.resolve("events/openlineage.jsonl");
    Lineage lineage =
        new Lineage(LineageSettings.file(events), h.jdbi, new MetricRegistry(), Clock.systemUTC());
    Scheduler scheduler = start(lineage);
    DagRun run;
    try {
      run = scheduler.trigger("lin", null);
      assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    } finally {
      scheduler.stop();
      s = null;
      lineage.stop(); // sends what is queued
    }

    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().executor()).isEqualTo("subprocess");
    LineageDao.TryRecord a =
        lineage.dao().find(new LineageDao.TryKey("lin", run.runId(), "a", 1)).orElseThrow();
    assertThat(a.outcome()).isEqualTo("OK");
    assertThat(a.lineage())
        .isEqualTo(
            new TaskLineage(
                List.of(new DatasetVersion(new Dataset("file", "/lake/bronze/ticks"), "(3,5]")),
                List.of(new DatasetVersion(new Dataset("file", "/lake/silver/ticks"), "7"))));
    List<String> lines = Files.readAllLines(events);
    assertThat(lines).hasSize(2);
    JsonNode complete = new ObjectMapper().readTree(lines.get(1));
    assertThat(complete.get("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(complete.at("/outputs/0/name").asText()).isEqualTo("/lake/silver/ticks");
    assertThat(complete.at("/inputs/0/name").asText()).isEqualTo("/lake/bronze/ticks");
  }

  @Test
  void aNonRetryableFailureInAChildJvmIsNotRetried() throws Exception {
    h.dag(
        "fatal",
        """
        executor: subprocess
        default_args: {retries: 3, retry_delay: 1ms}
        tasks:
          - {task_id: bad, pipeline: fail, options: {nonRetryable: true}}
        """);
    DagRun run = start().trigger("fatal", null);

    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.FAILED);
    assertThat(h.states(run.runId())).isEqualTo(Map.of("bad", TaskState.FAILED));
    assertThat(h.tasks.find(run.runId(), "bad").orElseThrow().tryNumber()).isEqualTo(1);
    assertThat(lastReason(run.runId(), "bad"))
        .startsWith("try 1 failed, non-retryable error: ")
        .contains("NonRetryableException: fail pipeline: failing try 1 on purpose");
  }

  @Test
  void cancelKillsTheChildJvmAndItsDescendantsAndTheTryIsNotRetried() throws Exception {
    Path pidFile = tmp.resolve("grandchild.pid");
    h.dag(
        "stuck",
        """
        executor: subprocess
        tasks:
          - {task_id: a, pipeline: spawn, options: {pidFile: "%s"}, retries: 3}
        """
            .formatted(pidFile));
    Scheduler scheduler = start();
    DagRun run = scheduler.trigger("stuck", null);
    String tryKey = run.runId() + "/a#1";
    ProcessHandle child =
        Await.until(
                WAIT,
                "the child JVM of " + tryKey,
                () -> scheduler.subprocessExecutor().process(tryKey),
                java.util.Optional::isPresent)
            .orElseThrow();
    Await.until(WAIT, "the grandchild's pid file", () -> pidFile.toFile().length() > 0);
    long grandchildPid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(Recovery.isProcessAlive(child.pid())).isTrue();
    assertThat(Recovery.isProcessAlive(grandchildPid)).isTrue();

    CanceledRun canceled = scheduler.cancelRun(run.runId(), Actor.user("ops"));
    assertThat(canceled.canceledTaskIds()).containsExactly("a");
    Await.until(WAIT, "the child JVM to be gone", () -> !Recovery.isProcessAlive(child.pid()));
    Await.until(WAIT, "the grandchild to be gone", () -> !Recovery.isProcessAlive(grandchildPid));
    String log =
        Await.until(
                WAIT,
                "the log of the canceled try",
                () -> h.logs.find(run.runId(), "a", 1),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(log)
        .contains(
            "TaskCanceledException: canceled by user:ops: the child JVM (pid "
                + child.pid()
                + ") and its descendants were terminated",
            "end: canceled in ");
    assertThat(h.runs.find(run.runId()).orElseThrow().state()).isEqualTo(DagRunState.CANCELED);
    assertThat(h.states(run.runId())).isEqualTo(Map.of("a", TaskState.CANCELED));
    assertThat(h.tasks.events(run.runId(), "a"))
        .extracting(TaskEvent::toState)
        .containsExactly(
            TaskState.NONE,
            TaskState.SCHEDULED,
            TaskState.QUEUED,
            TaskState.RUNNING,
            TaskState.CANCELED);
    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().tryNumber()).isEqualTo(1);
  }
}

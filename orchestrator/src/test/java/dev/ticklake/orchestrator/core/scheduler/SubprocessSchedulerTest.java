package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.SubprocessSettings;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstance;
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
class SubprocessSchedulerTest {

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
    s =
        new Scheduler(
            h.jdbi,
            Pipelines.standard(),
            h.settings()
                .withSubprocess(
                    SubprocessSettings.of(2, "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")),
            Clock.systemUTC());
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
            "at dev.ticklake.orchestrator.core.exec.Pipelines.fail");
    assertThat(h.logs.find(run.runId(), "flaky", 2).orElseThrow())
        .contains("status OK: succeeded on try 2", "end: success");
    assertThat(h.logs.find(run.runId(), "local", 1).orElseThrow()).doesNotContain("child JVM");
    assertThat(h.tasks.events(run.runId(), "flaky"))
        .extracting(TaskEvent::reason)
        .contains("handed to the subprocess executor")
        .anyMatch(r -> r.startsWith("try 1 failed, retry in PT0.01S: "));
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
}

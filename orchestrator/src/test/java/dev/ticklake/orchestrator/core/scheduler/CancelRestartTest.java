package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A canceled run stays canceled across a scheduler restart: recovery re-queues nothing of it. */
class CancelRestartTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private SchedulerHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new SchedulerHarness(tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  @Test
  void aCanceledRunAndItsTriesStayCanceledAfterARestart() throws Exception {
    h.dag(
        "blocker",
        """
        max_active_runs: 1
        tasks:
          - {task_id: a, pipeline: sleep, options: {millis: 600000}, retries: 3}
          - {task_id: b, pipeline: noop, upstream: [a]}
        """);
    Scheduler first = h.start();
    DagRun running = first.trigger("blocker", null);
    Await.until(
        WAIT,
        "a to run",
        () -> h.tasks.find(running.runId(), "a").orElseThrow().state() == TaskState.RUNNING);
    DagRun queued = first.trigger("blocker", null);
    Actor user = Actor.user("ops");

    // The queued run first: canceling the running one frees its slot for the queued one.
    assertThat(first.cancelRun(queued.runId(), user).canceledTaskIds()).containsExactly("a", "b");
    CanceledRun canceled = first.cancelRun(running.runId(), user);
    assertThat(canceled.run().state()).isEqualTo(DagRunState.CANCELED);
    assertThat(canceled.canceledTaskIds()).containsExactly("a", "b");
    Await.until(
        WAIT, "the canceled try to report", () -> h.logs.find(running.runId(), "a", 1).isPresent());
    List<TaskEvent> eventsBefore = h.tasks.events(running.runId(), "a");
    first.stop();

    Scheduler second = h.start(); // recovers, then schedules
    assertThat(second.recover()).isZero();
    second.tick();
    second.tick();
    for (DagRun r : List.of(running, queued)) {
      assertThat(h.runs.find(r.runId()).orElseThrow().state()).isEqualTo(DagRunState.CANCELED);
      assertThat(h.states(r.runId()))
          .containsOnly(Map.entry("a", TaskState.CANCELED), Map.entry("b", TaskState.CANCELED));
    }
    assertThat(h.runs.find(queued.runId()).orElseThrow().startedAt()).isNull();
    assertThat(h.tasks.events(running.runId(), "a")).isEqualTo(eventsBefore);
    assertThat(eventsBefore)
        .extracting(TaskEvent::toState)
        .containsExactly(
            TaskState.NONE,
            TaskState.SCHEDULED,
            TaskState.QUEUED,
            TaskState.RUNNING,
            TaskState.CANCELED);
    assertThat(eventsBefore.get(4).actor()).isEqualTo("user:ops");
    assertThat(eventsBefore.get(4).reason()).isEqualTo("canceled by user:ops");
    assertThat(h.tasks.find(running.runId(), "a").orElseThrow().tryNumber()).isEqualTo(1);
  }
}

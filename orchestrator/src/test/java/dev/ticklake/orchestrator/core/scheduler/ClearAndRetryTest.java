package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.clear.ClearRequest;
import dev.ticklake.orchestrator.core.clear.RunClearer;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cleared task runs again with a fresh set of retries, its try numbers going on. */
class ClearAndRetryTest {

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
  void aClearedTaskGetsNewRetriesAndKeepsCountingTries() throws Exception {
    h.dag(
        "flaky",
        """
        tasks:
          - {task_id: f, pipeline: fail, options: {failTimes: 3}, retries: 1, retry_delay: 10ms}
          - {task_id: g, pipeline: noop, upstream: [f]}
        """);
    Scheduler s = h.start();
    DagRun run = s.trigger("flaky", null);
    // tries 1 and 2 fail: no try left
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.FAILED);
    assertThat(h.tasks.find(run.runId(), "f").orElseThrow().tryNumber()).isEqualTo(2);

    RunClearer.Result cleared =
        new RunClearer(h.jdbi, Clock.systemUTC())
            .clear(
                s.dags().get("flaky"),
                run.runId(),
                ClearRequest.wholeRun("again"),
                Actor.user("ops"));
    assertThat(cleared.clearedTaskIds()).containsExactly("f", "g");
    s.wakeUp();

    // try 3 fails and is retried (max_tries is now 2 + 2), try 4 succeeds
    DagRun end =
        Await.until(
                WAIT,
                "the cleared run to end after a third try of f",
                () -> h.progress(run.runId()),
                p ->
                    p.run().filter(SchedulerHarness::ended).isPresent()
                        && h.tasks.find(run.runId(), "f").orElseThrow().tryNumber() > 2)
            .run()
            .orElseThrow();
    assertThat(end.state()).isEqualTo(DagRunState.SUCCESS);
    TaskInstance f = h.tasks.find(run.runId(), "f").orElseThrow();
    assertThat(f.tryNumber()).isEqualTo(4);
    assertThat(f.maxTries()).isEqualTo(4);
    assertThat(h.states(run.runId())).containsEntry("g", TaskState.SUCCESS);
    List<TaskEvent> events = h.tasks.events(run.runId(), "f");
    assertThat(events.stream().filter(e -> e.toState() == TaskState.UP_FOR_RETRY).count())
        .isEqualTo(2); // after try 1 and after try 3
    for (int t = 1; t <= 4; t++) {
      assertThat(h.logs.find(run.runId(), "f", t)).as("log of try " + t).isPresent();
    }
  }
}

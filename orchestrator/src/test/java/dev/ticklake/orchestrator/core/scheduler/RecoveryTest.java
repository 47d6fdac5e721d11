package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskStateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which heartbeats stop a restarted scheduler from recovering: a recent one from another host (it
 * may be alive), or from this host with a live process; not one from this host whose process is
 * gone (the crashed scheduler a restart replaces).
 */
class RecoveryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  @TempDir Path tmp;
  private SchedulerHarness h;
  private SchedulerHeartbeatDao heartbeats;

  @BeforeEach
  void setUp() throws Exception {
    h = new SchedulerHarness(tmp);
    heartbeats = new SchedulerHeartbeatDao(h.jdbi);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  private Recovery recovery(Predicate<Long> processAlive) {
    return new Recovery(h.tasks, heartbeats, TIMEOUT, "me", "host-a", processAlive);
  }

  /** A run whose task {@code a} was started by a scheduler on {@code host}, pid 4242. */
  private DagRun runningTask(String host) {
    return runningTask(host, 3);
  }

  private DagRun runningTask(String host, int maxTries) {
    Instant before = NOW.minusSeconds(5);
    DagRun run =
        h.runs
            .createRun(
                new NewDagRun(
                    "d",
                    before,
                    RunType.MANUAL,
                    null,
                    null,
                    before,
                    List.of(new NewDagRun.Task("a", maxTries, "in_process"))),
                Actor.SCHEDULER)
            .run();
    h.runs.compareAndSetState(run.runId(), DagRunState.QUEUED, DagRunState.RUNNING, before);
    for (TaskState[] move :
        new TaskState[][] {
          {TaskState.NONE, TaskState.SCHEDULED},
          {TaskState.SCHEDULED, TaskState.QUEUED},
          {TaskState.QUEUED, TaskState.RUNNING}
        }) {
      h.tasks.compareAndSetState(
          TaskStateChange.of(run.runId(), "a", move[0], move[1], Actor.SCHEDULER, "crashed", before)
              .withWorker(host, 4242));
    }
    return run;
  }

  @Test
  void aFreshHeartbeatFromThisHostWhoseProcessIsGoneDoesNotBlockRecovery() {
    DagRun run = runningTask("host-a");
    heartbeats.beat("crashed", "host-a", 4242, NOW.minusMillis(300));

    assertThat(recovery(pid -> false).run(NOW)).isEqualTo(1);

    assertThat(h.states(run.runId()).get("a")).isEqualTo(TaskState.UP_FOR_RETRY);
    List<TaskEvent> events = h.tasks.events(run.runId(), "a");
    TaskEvent last = events.get(events.size() - 1);
    assertThat(last.fromState()).isEqualTo(TaskState.RUNNING);
    assertThat(last.toState()).isEqualTo(TaskState.UP_FOR_RETRY);
    assertThat(last.actor()).isEqualTo(Actor.RECOVERY.name());
    assertThat(last.reason())
        .isEqualTo(
            Scheduler.RECOVERY_REASON + " (interruption 1 of at most 5: not counted as a retry)");
    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().nextRetryAt()).isEqualTo(NOW);
  }

  @Test
  void aFreshHeartbeatFromThisHostWithALiveProcessBlocksRecovery() {
    DagRun run = runningTask("host-a");
    heartbeats.beat("other", "host-a", 4242, NOW.minusMillis(300));

    assertThat(recovery(pid -> pid == 4242).run(NOW)).isZero();

    assertThat(h.states(run.runId()).get("a")).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void aFreshHeartbeatFromAnotherHostBlocksRecoveryUntilItIsOlderThanTheTimeout() {
    DagRun run = runningTask("host-b");
    heartbeats.beat("remote", "host-b", 4242, NOW.minusMillis(300));

    assertThat(recovery(pid -> false).run(NOW)).as("host-b may be alive").isZero();
    assertThat(h.states(run.runId()).get("a")).isEqualTo(TaskState.RUNNING);

    assertThat(recovery(pid -> false).run(NOW.plus(TIMEOUT))).isEqualTo(1);
    assertThat(h.states(run.runId()).get("a")).isEqualTo(TaskState.UP_FOR_RETRY);
  }

  /** The retried try starts again (up_for_retry -> scheduled -> queued -> running). */
  private void startAgain(DagRun run) {
    for (TaskState[] move :
        new TaskState[][] {
          {TaskState.UP_FOR_RETRY, TaskState.SCHEDULED},
          {TaskState.SCHEDULED, TaskState.QUEUED},
          {TaskState.QUEUED, TaskState.RUNNING}
        }) {
      assertThat(
              h.tasks.compareAndSetState(
                  TaskStateChange.of(
                          run.runId(), "a", move[0], move[1], Actor.SCHEDULER, "retry", NOW)
                      .withWorker("host-a", 4242)))
          .isTrue();
    }
  }

  @Test
  void serviceCrashesDoNotUseATasksRetries() {
    DagRun run = runningTask("host-a", 1); // no retries at all
    for (int crash = 1; crash <= 3; crash++) {
      assertThat(recovery(pid -> false).run(NOW)).isEqualTo(1);
      var ti = h.tasks.find(run.runId(), "a").orElseThrow();
      assertThat(ti.state()).as("after crash %d", crash).isEqualTo(TaskState.UP_FOR_RETRY);
      assertThat(ti.maxTries()).as("a try given back per crash").isEqualTo(1 + crash);
      startAgain(run);
      assertThat(h.tasks.find(run.runId(), "a").orElseThrow().tryNumber()).isEqualTo(crash + 1);
    }
  }

  @Test
  void beyondTheCapAnInterruptionCountsAsAFailedTrySoACrashLoopEnds() {
    DagRun run = runningTask("host-a", 1);
    for (int crash = 1; crash <= Recovery.MAX_INTERRUPTED_TRIES; crash++) {
      recovery(pid -> false).run(NOW);
      startAgain(run);
    }
    assertThat(recovery(pid -> false).run(NOW)).isEqualTo(1);

    var ti = h.tasks.find(run.runId(), "a").orElseThrow();
    assertThat(ti.state()).isEqualTo(TaskState.FAILED);
    assertThat(ti.maxTries()).isEqualTo(1 + Recovery.MAX_INTERRUPTED_TRIES);
    List<TaskEvent> events = h.tasks.events(run.runId(), "a");
    assertThat(events.get(events.size() - 1).reason())
        .isEqualTo(
            Scheduler.RECOVERY_REASON
                + " (5 interruptions already: this one counts as a failed try; no try left)");
  }

  @Test
  void theProcessCheckTellsALiveProcessFromAFinishedOne() throws Exception {
    assertThat(Recovery.isProcessAlive(ProcessHandle.current().pid())).isTrue();
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor()).isZero();
    assertThat(Recovery.isProcessAlive(p.pid())).isFalse();
  }
}

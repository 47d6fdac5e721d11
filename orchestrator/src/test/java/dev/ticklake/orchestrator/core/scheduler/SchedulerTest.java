package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskStateChange;
import dev.ticklake.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {

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
  void threeTasksRunInOrderToSuccessAndLogEachTry() throws Exception {
    h.dag(
        "chain",
        """
        tasks:
          - {task_id: a, pipeline: noop}
          - {task_id: b, pipeline: sleep, options: {millis: 50}, upstream: [a]}
          - {task_id: c, pipeline: noop, upstream: [b]}
        """);
    Scheduler s = h.start();
    DagRun run = s.trigger("chain", null);
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    Map<String, TaskState> states = h.states(run.runId());
    assertThat(states)
        .containsOnly(
            Map.entry("a", TaskState.SUCCESS),
            Map.entry("b", TaskState.SUCCESS),
            Map.entry("c", TaskState.SUCCESS));
    TaskInstance a = h.tasks.find(run.runId(), "a").orElseThrow();
    TaskInstance b = h.tasks.find(run.runId(), "b").orElseThrow();
    TaskInstance c = h.tasks.find(run.runId(), "c").orElseThrow();
    assertThat(b.startedAt()).isAfterOrEqualTo(a.endedAt());
    assertThat(c.startedAt()).isAfterOrEqualTo(b.endedAt());
    assertThat(h.logs.find(run.runId(), "b", 1).orElseThrow())
        .contains("start try 1", "slept 50 ms", "end: success");
    assertThat(h.tasks.events(run.runId(), "a").stream().map(TaskEvent::toState).toList())
        .containsExactly(
            TaskState.NONE,
            TaskState.SCHEDULED,
            TaskState.QUEUED,
            TaskState.RUNNING,
            TaskState.SUCCESS);
  }

  @Test
  void aTaskThatFailsTwiceIsRetriedWithTheDelayOfItsPolicyThenSucceeds() throws Exception {
    h.dag(
        "flaky",
        """
        tasks:
          - task_id: f
            pipeline: fail
            options: {failTimes: 2}
            retries: 3
            retry_delay: 200ms
        """);
    Scheduler s = h.start();
    DagRun run = s.trigger("flaky", null);
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    TaskInstance f = h.tasks.find(run.runId(), "f").orElseThrow();
    assertThat(f.tryNumber()).isEqualTo(3);
    List<TaskEvent> events = h.tasks.events(run.runId(), "f");
    List<TaskEvent> retries =
        events.stream().filter(e -> e.toState() == TaskState.UP_FOR_RETRY).toList();
    assertThat(retries).hasSize(2);
    // The retry is scheduled no earlier than the delay after the failure.
    for (TaskEvent retry : retries) {
      TaskEvent rescheduled =
          events.stream()
              .filter(e -> e.id() > retry.id() && e.toState() == TaskState.SCHEDULED)
              .findFirst()
              .orElseThrow();
      assertThat(Duration.between(retry.at(), rescheduled.at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
    assertThat(h.logs.find(run.runId(), "f", 1).orElseThrow())
        .contains("IllegalStateException", "failing try 1 on purpose", "at dev.ticklake");
  }

  @Test
  void aNonRetryableFailureFailsAtOnceAndDownstreamIsUpstreamFailed() throws Exception {
    h.dag(
        "broken",
        """
        default_args: {retries: 5, retry_delay: 1ms}
        tasks:
          - {task_id: bad, pipeline: fail, options: {nonRetryable: true}}
          - {task_id: after, pipeline: noop, upstream: [bad]}
          - {task_id: cleanup, pipeline: noop, upstream: [bad], trigger_rule: all_done}
          - {task_id: alert, pipeline: noop, upstream: [bad], trigger_rule: one_failed}
          - {task_id: happy, pipeline: noop, upstream: [cleanup], trigger_rule: one_failed}
        """);
    Scheduler s = h.start();
    DagRun run = s.trigger("broken", null);
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.FAILED);
    assertThat(h.states(run.runId()))
        .containsOnly(
            Map.entry("bad", TaskState.FAILED),
            Map.entry("after", TaskState.UPSTREAM_FAILED),
            Map.entry("cleanup", TaskState.SUCCESS),
            Map.entry("alert", TaskState.SUCCESS),
            Map.entry("happy", TaskState.SKIPPED));
    TaskInstance bad = h.tasks.find(run.runId(), "bad").orElseThrow();
    assertThat(bad.tryNumber()).isEqualTo(1);
    assertThat(
            h.tasks
                .events(run.runId(), "bad")
                .get(h.tasks.events(run.runId(), "bad").size() - 1)
                .reason())
        .contains("non-retryable");
  }

  @Test
  void aTryOverItsExecutionTimeoutFails() throws Exception {
    h.dag(
        "slow",
        """
        tasks:
          - {task_id: s, pipeline: sleep, options: {millis: 60000}, execution_timeout: 300ms}
        """);
    Scheduler s = h.start();
    long t0 = System.nanoTime();
    DagRun run = s.trigger("slow", null);
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.FAILED);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    assertThat(h.logs.find(run.runId(), "s", 1).orElseThrow())
        .contains("execution_timeout", "TaskTimeoutException");
  }

  @Test
  void aPausedDagGetsNoScheduledRunsAndAnUnpausedOneDoes() throws Exception {
    h.dag(
        "tick",
        """
        schedule: 1h
        start_date: 2026-01-01T00:00:00Z
        paused: true
        tasks:
          - {task_id: a, pipeline: noop}
        """);
    Scheduler s = h.scheduler();
    s.refreshDags();
    s.tick();
    s.tick();
    assertThat(h.runs.list("tick", 10)).isEmpty();
    new DagDao(h.jdbi).setPaused("tick", false);
    s.tick();
    List<DagRun> runs = h.runs.list("tick", 10);
    assertThat(runs).hasSize(1); // catchup false: only the latest due interval
    assertThat(runs.get(0).runType()).isEqualTo(RunType.SCHEDULED);
  }

  @Test
  void maxActiveRunsIsRespectedWithCatchup() throws Exception {
    Instant start =
        Instant.now().minus(Duration.ofHours(4)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    h.dag(
        "backlog",
        "schedule: 1h\nstart_date: "
            + start
            + "\ncatchup: true\nmax_active_runs: 1\ntasks:\n"
            + "  - {task_id: a, pipeline: sleep, options: {millis: 100}}\n");
    h.start();
    List<DagRun> done =
        Await.until(
            WAIT,
            "4 ended runs of backlog",
            () -> h.runs.list("backlog", 100),
            runs -> runs.size() >= 4 && runs.stream().allMatch(r -> r.state().isTerminal()));
    List<DagRun> byTime =
        done.stream().sorted((x, y) -> x.startedAt().compareTo(y.startedAt())).toList();
    for (int i = 1; i < byTime.size(); i++) {
      assertThat(byTime.get(i).startedAt()).isAfterOrEqualTo(byTime.get(i - 1).endedAt());
    }
    assertThat(byTime).allMatch(r -> r.state() == DagRunState.SUCCESS);
    assertThat(byTime.get(0).logicalTime()).isEqualTo(start);
  }

  @Test
  void aManualTriggerCarriesItsConf() throws Exception {
    h.dag("manual", "tasks:\n  - {task_id: a, pipeline: noop}\n");
    Scheduler s = h.start();
    DagRun run = s.trigger("manual", "{\"symbols\":[\"AAPL\"]}");
    assertThat(run.runType()).isEqualTo(RunType.MANUAL);
    assertThat(h.awaitRunEnd(run.runId(), WAIT).conf()).isEqualTo("{\"symbols\":[\"AAPL\"]}");
  }

  @Test
  void taskOptionsTakeValuesFromTheRunsConf() throws Exception {
    h.dag(
        "templated",
        "tasks:\n  - task_id: a\n    pipeline: noop\n"
            + "    options: {symbols: '{{ conf.symbols }}', seed: '{{ conf.seed | default: 42 }}'}\n");
    Scheduler s = h.start();
    DagRun run = s.trigger("templated", "{\"symbols\":[\"AAPL\",\"MSFT\"]}");
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(h.logs.find(run.runId(), "a", 1).orElseThrow())
        .contains("seed=42", "symbols=AAPL,MSFT");
  }

  @Test
  void aTemplateTheConfCannotFillFailsTheTryAtOnceWithWhatToDo() throws Exception {
    h.dag(
        "needs-conf",
        "default_args: {retries: 3}\n"
            + "tasks:\n  - {task_id: a, pipeline: noop, options: {symbols: '{{ conf.symbols }}'}}\n");
    Scheduler s = h.start();
    DagRun run = s.trigger("needs-conf", null);
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.FAILED);
    List<TaskEvent> events = h.tasks.events(run.runId(), "a");
    assertThat(events.get(events.size() - 1).reason())
        .as("not retried: the same conf would fail again")
        .contains(
            "task option 'symbols' uses {{ conf.symbols }} but the run's conf has no 'symbols'");
    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().tryNumber()).isEqualTo(1);
  }

  @Test
  void aTaskLeftRunningByADeadSchedulerIsRetriedByTheNextOne() throws Exception {
    h.dag(
        "crash",
        "default_args: {retries: 1, retry_delay: 1ms}\ntasks:\n  - {task_id: a, pipeline: noop}\n");
    // The dead scheduler: created the run, started the try, last beat a minute ago.
    Instant before = Instant.now().minusSeconds(60);
    DagRun run =
        h.runs
            .createRun(
                new NewDagRun(
                    "crash",
                    before,
                    RunType.MANUAL,
                    null,
                    null,
                    before,
                    List.of(new NewDagRun.Task("a", 2, "in_process"))),
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
          TaskStateChange.of(run.runId(), "a", move[0], move[1], Actor.SCHEDULER, "dead", before)
              .withWorker("dead-host", 1));
    }
    new SchedulerHeartbeatDao(h.jdbi).beat("dead-scheduler", "dead-host", 1, before);

    h.start();
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    List<TaskEvent> events = h.tasks.events(run.runId(), "a");
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.toState()).isEqualTo(TaskState.UP_FOR_RETRY);
              assertThat(e.reason()).startsWith(Scheduler.RECOVERY_REASON);
              assertThat(e.actor()).isEqualTo(Actor.RECOVERY.name());
            });
    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().tryNumber()).isEqualTo(2);
  }

  @Test
  void aRunningTaskWithoutRetriesIsGivenATryBackByRecoveryAndTheRunSucceeds() throws Exception {
    h.dag(
        "crash2",
        "tasks:\n  - {task_id: a, pipeline: noop}\n  - {task_id: b, pipeline: noop, upstream: [a]}\n");
    Instant before = Instant.now().minusSeconds(60);
    DagRun run =
        h.runs
            .createRun(
                new NewDagRun(
                    "crash2",
                    before,
                    RunType.MANUAL,
                    null,
                    null,
                    before,
                    List.of(
                        new NewDagRun.Task("a", 1, "in_process"),
                        new NewDagRun.Task("b", 1, "in_process"))),
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
          TaskStateChange.of(run.runId(), "a", move[0], move[1], Actor.SCHEDULER, "dead", before)
              .withWorker("dead-host", 1));
    }
    Scheduler s = h.scheduler();
    assertThat(s.recover()).isEqualTo(1);
    // The service's crash is not the task's failure: a try is given back (max_tries 1 -> 2).
    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().maxTries()).isEqualTo(2);
    assertThat(h.states(run.runId()))
        .containsOnly(Map.entry("a", TaskState.UP_FOR_RETRY), Map.entry("b", TaskState.NONE));

    h.start();
    assertThat(h.awaitRunEnd(run.runId(), WAIT).state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(h.tasks.find(run.runId(), "a").orElseThrow().tryNumber()).isEqualTo(2);
  }

  @Test
  void noCatchupCreatesOnlyTheLatestDueIntervalAndNeverTheSameRunTwice() throws Exception {
    h.dag(
        "fast",
        "schedule: 1h\nstart_date: 2026-01-01T00:00:00Z\nmax_active_runs: 3\n"
            + "tasks:\n  - {task_id: a, pipeline: noop}\n");
    Scheduler s = h.scheduler();
    s.refreshDags();
    s.tick();
    s.tick();
    s.tick();
    List<DagRun> runs = h.runs.list("fast", 10);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).logicalTime())
        .isBefore(Instant.now())
        .isAfter(Instant.now().minus(Duration.ofHours(1)));
  }

  /** A clock the test moves by hand. */
  private static final class ManualClock extends java.time.Clock {
    private volatile Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void catchupCreatesMissedIntervalsOldestFirstUpToMaxActiveRunsOnAnInjectedClock()
      throws Exception {
    h.dag(
        "catchup",
        "schedule: 5s\nstart_date: 2026-01-01T00:00:00Z\ncatchup: true\nmax_active_runs: 2\n"
            + "tasks:\n  - {task_id: a, pipeline: sleep, options: {millis: 60000}}\n");
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:12Z"));
    Scheduler s =
        new Scheduler(
            h.jdbi, dev.ticklake.orchestrator.core.exec.Pipelines.standard(), h.settings(), clock);
    s.refreshDags();
    s.tick();
    s.tick();
    assertThat(h.runs.list("catchup", 10))
        .extracting(DagRun::logicalTime)
        .containsExactlyInAnyOrder(
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:05Z"));
    clock.advance(Duration.ofSeconds(30));
    s.tick();
    assertThat(h.runs.list("catchup", 10)).hasSize(2); // both still active: no third run
    s.stop();
  }
}

package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.ticklake.orchestrator.core.backfill.BackfillLimits;
import dev.ticklake.orchestrator.core.backfill.BackfillRequestException;
import dev.ticklake.orchestrator.core.backfill.BackfillState;
import dev.ticklake.orchestrator.core.backfill.Backfills;
import dev.ticklake.orchestrator.core.metrics.SchedulerMetrics;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.Backfill;
import dev.ticklake.orchestrator.db.BackfillDao;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import dev.ticklake.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backfills driven by the real scheduler over a real H2 database. */
class BackfillSchedulerTest {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private SchedulerHarness h;
  private BackfillDao dao;

  @BeforeEach
  void setUp() throws Exception {
    h = new SchedulerHarness(tmp);
    dao = new BackfillDao(h.jdbi);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  private Backfills backfills(Scheduler s) {
    return new Backfills(
        s::dags, dao, h.runs, BackfillLimits.DEFAULTS, Clock.systemUTC(), s::wakeUp);
  }

  private Backfill awaitEnd(long id) {
    return Await.until(
            WAIT,
            "backfill " + id + " to end",
            () -> dao.find(id),
            b -> b.filter(x -> x.state().isTerminal()).isPresent())
        .orElseThrow();
  }

  /** Most intervals [startedAt, endedAt] open at one instant (an end before a start on a tie). */
  private static int maxOverlap(List<DagRun> runs) {
    List<long[]> events = new ArrayList<>();
    for (DagRun r : runs) {
      events.add(new long[] {micros(r.startedAt()), +1});
      events.add(new long[] {micros(r.endedAt()), -1});
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int open = 0;
    int max = 0;
    for (long[] e : events) {
      open += (int) e[1];
      max = Math.max(max, open);
    }
    return max;
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  @Test
  void aBackfillNextToAScheduledDagRunsEveryLogicalTimeOnceUnderItsOwnLimit() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
    h.dag(
        "both",
        "schedule: 1s\nstart_date: "
            + start
            + "\nmax_active_runs: 1\ntasks:\n"
            + "  - {task_id: a, pipeline: sleep, options: {millis: 300}}\n");
    Scheduler s = h.start();
    MetricRegistry metrics = new MetricRegistry();
    s.setEvents(new SchedulerMetrics(metrics, h.tasks));

    Backfill created =
        backfills(s)
            .create("both", start, start.plusSeconds(11), 2, "{\"x\":1}", Actor.api("test"));
    assertThat(created.plannedRuns()).isEqualTo(12);
    Backfill done = awaitEnd(created.id());

    assertThat(done.state()).isEqualTo(BackfillState.COMPLETED);
    assertThat(done.skippedRuns()).isZero();
    List<DagRun> backfillRuns = h.runs.listByBackfill(created.id());
    assertThat(backfillRuns)
        .extracting(DagRun::logicalTime)
        .containsExactlyElementsOf(
            IntStream.range(0, 12).mapToObj(i -> start.plusSeconds(i)).toList());
    assertThat(backfillRuns)
        .allSatisfy(
            r -> {
              assertThat(r.runType()).isEqualTo(RunType.BACKFILL);
              assertThat(r.state()).isEqualTo(DagRunState.SUCCESS);
              assertThat(r.conf()).isEqualTo("{\"x\":1}");
              assertThat(r.runId()).isEqualTo("both__backfill__" + r.logicalTime());
            });
    assertThat(maxOverlap(backfillRuns)).isLessThanOrEqualTo(2);
    assertThat(dao.runCounts(created.id())).isEqualTo(Map.of(DagRunState.SUCCESS, 12));
    assertThat(metrics.counter(SchedulerMetrics.RUNS_CREATED + ".backfill").getCount())
        .isEqualTo(12);

    // The scheduled runs were not starved: some started and ended while the backfill ran.
    Instant firstStart = backfillRuns.stream().map(DagRun::startedAt).min(Instant::compareTo).get();
    Instant lastEnd = backfillRuns.stream().map(DagRun::endedAt).max(Instant::compareTo).get();
    List<DagRun> scheduledDuring =
        h.runs.list("both", 1000).stream()
            .filter(r -> r.runType() == RunType.SCHEDULED && r.endedAt() != null)
            .filter(r -> r.startedAt().isAfter(firstStart) && r.endedAt().isBefore(lastEnd))
            .toList();
    assertThat(scheduledDuring).isNotEmpty();
    assertThat(
            maxOverlap(
                h.runs.list("both", 1000).stream()
                    .filter(r -> r.runType() == RunType.SCHEDULED && r.endedAt() != null)
                    .toList()))
        .isEqualTo(1); // the DAG's own max_active_runs still holds for its scheduled runs
  }

  @Test
  void aCanceledBackfillCreatesNoNewRunsAndLetsTheRunningOneFinish() throws Exception {
    h.dag(
        "slow",
        "schedule: 1h\nstart_date: 2026-01-01\npaused: true\ntasks:\n"
            + "  - {task_id: a, pipeline: sleep, options: {millis: 1500}}\n");
    Scheduler s = h.start();
    Backfills api = backfills(s);
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    Backfill b = api.create("slow", from, from.plusSeconds(9 * 3600), 1, null, Actor.api("t"));
    Await.until(
        WAIT,
        "a running backfill run",
        () -> h.runs.listByBackfill(b.id()),
        runs -> runs.stream().anyMatch(r -> r.state() == DagRunState.RUNNING));

    Backfill canceled = api.cancel(b.id(), Actor.api("t"));

    assertThat(canceled.state()).isEqualTo(BackfillState.CANCELED);
    assertThat(canceled.nextLogicalTime()).isNull();
    DagRun first = h.awaitRunEnd("slow__backfill__2026-01-01T00:00:00Z", WAIT);
    assertThat(first.state()).isEqualTo(DagRunState.SUCCESS);
    s.tick();
    s.tick();
    assertThat(h.runs.listByBackfill(b.id())).containsExactly(h.runs.find(first.runId()).get());
    assertThat(dao.find(b.id()).get().state()).isEqualTo(BackfillState.CANCELED);
    assertThatThrownBy(() -> api.cancel(b.id(), Actor.api("t")))
        .isInstanceOf(BackfillRequestException.class)
        .hasMessage("backfill " + b.id() + " is already canceled: nothing to cancel");
  }

  @Test
  void runsAreCreatedOncePerLogicalTimeAcrossBackfillsAndNextToScheduledRuns() throws Exception {
    h.dag(
        "hourly",
        "schedule: 1h\nstart_date: 2026-01-01\npaused: true\ntasks:\n"
            + "  - {task_id: a, pipeline: noop}\n");
    Scheduler s = h.start();
    Backfills api = backfills(s);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Backfill first = api.create("hourly", t0, t0.plusSeconds(2 * 3600), 3, null, Actor.api("t"));
    assertThat(awaitEnd(first.id()).state()).isEqualTo(BackfillState.COMPLETED);
    // A scheduled run already exists at 03:00: the backfill still gets its own run there.
    h.runs.createRun(
        new NewDagRun(
            "hourly",
            t0.plusSeconds(3 * 3600),
            RunType.SCHEDULED,
            null,
            null,
            Instant.now(),
            List.of(new NewDagRun.Task("a", 1, "in_process"))),
        Actor.SCHEDULER);

    Backfill second =
        api.create(
            "hourly", t0.plusSeconds(3600), t0.plusSeconds(3 * 3600), 3, null, Actor.api("t"));
    Backfill done = awaitEnd(second.id());

    assertThat(done.state()).isEqualTo(BackfillState.COMPLETED);
    assertThat(done.plannedRuns()).isEqualTo(3);
    assertThat(done.skippedRuns()).isEqualTo(2); // 01:00 and 02:00 belong to the first backfill
    assertThat(h.runs.listByBackfill(second.id()))
        .extracting(DagRun::runId)
        .containsExactly("hourly__backfill__2026-01-01T03:00:00Z");
    assertThat(h.runs.list("hourly", 100))
        .extracting(DagRun::runId)
        .containsExactlyInAnyOrder(
            "hourly__backfill__2026-01-01T00:00:00Z",
            "hourly__backfill__2026-01-01T01:00:00Z",
            "hourly__backfill__2026-01-01T02:00:00Z",
            "hourly__backfill__2026-01-01T03:00:00Z",
            "hourly__scheduled__2026-01-01T03:00:00Z");
  }

  @Test
  void aBackfillWithAFailedRunEndsFailedAndOverlappingRequestsAreRefused() throws Exception {
    h.dag(
        "bad",
        "schedule: 1d\nstart_date: 2026-01-01\npaused: true\ntasks:\n"
            + "  - {task_id: a, pipeline: fail, options: {nonRetryable: true}}\n");
    Scheduler s = h.start();
    Backfills api = backfills(s);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Backfill b = api.create("bad", t0, t0.plus(Duration.ofDays(1)), 1, null, Actor.api("t"));
    assertThatThrownBy(
            () ->
                api.create(
                    "bad",
                    t0.plus(Duration.ofDays(1)),
                    t0.plus(Duration.ofDays(5)),
                    1,
                    null,
                    Actor.api("t")))
        .isInstanceOf(BackfillRequestException.class)
        .hasMessageStartingWith("backfill " + b.id() + " of DAG 'bad' over [")
        .extracting(e -> ((BackfillRequestException) e).status())
        .isEqualTo(409);

    Backfill done = awaitEnd(b.id());

    assertThat(done.state()).isEqualTo(BackfillState.FAILED);
    assertThat(dao.runCounts(b.id())).isEqualTo(Map.of(DagRunState.FAILED, 2));
    assertThat(Optional.ofNullable(done.endedAt())).isPresent();
  }
}

package dev.ticklake.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.core.backfill.BackfillState;
import dev.ticklake.orchestrator.core.state.DagRunState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class BackfillDaoTest extends DatabaseTest {

  private BackfillDao backfills;
  private DagRunDao runs;

  BackfillDaoTest(TestDatabase database) {
    super(database);
  }

  @BeforeEach
  void daos() {
    backfills = new BackfillDao(jdbi);
    runs = new DagRunDao(jdbi);
  }

  private Backfill create(String dag, Instant from, Instant to) {
    return backfills.create(
        new NewBackfill(
            dag, from, to, 2, "{\"k\":1}", from, 4, Actor.api("alice"), T0.plusSeconds(1)));
  }

  private DagRun run(Backfill b, Instant logicalTime) {
    return runs.createRun(
            new NewDagRun(
                b.dagId(),
                logicalTime,
                RunType.BACKFILL,
                b.conf(),
                b.id(),
                T0,
                List.of(new NewDagRun.Task("a", 1, "in_process"))),
            Actor.SCHEDULER)
        .run();
  }

  @Test
  void createsAQueuedBackfillAndReadsItBack() {
    Backfill b = create("hello", T0, T0.plusSeconds(3 * 3600));

    Backfill expected =
        new Backfill(
            b.id(),
            "hello",
            T0,
            T0.plusSeconds(3 * 3600),
            2,
            BackfillState.QUEUED,
            "{\"k\":1}",
            4,
            0,
            T0,
            "api:alice",
            T0.plusSeconds(1),
            null);
    assertThat(b).isEqualTo(expected);
    assertThat(backfills.find(b.id())).contains(expected);
    assertThat(backfills.find(b.id() + 100)).isEmpty();
    Backfill other = create("other", T0, T0);
    assertThat(backfills.list(Optional.empty(), 10))
        .extracting(Backfill::id)
        .containsExactly(other.id(), b.id());
    assertThat(backfills.list(Optional.of("hello"), 10)).containsExactly(expected);
    assertThat(backfills.listUnfinished())
        .extracting(Backfill::id)
        .containsExactly(b.id(), other.id());
  }

  @Test
  void theCursorMovesByCompareAndSetAndCountsSkippedRuns() {
    Backfill b = create("hello", T0, T0.plusSeconds(3 * 3600));
    Instant next = T0.plusSeconds(3600);

    assertThat(backfills.advance(b.id(), T0, next, false)).isTrue();
    assertThat(backfills.advance(b.id(), T0, next, false)).isFalse(); // stale cursor
    assertThat(backfills.advance(b.id(), next, null, true)).isTrue();

    Backfill after = backfills.find(b.id()).orElseThrow();
    assertThat(after.nextLogicalTime()).isNull();
    assertThat(after.skippedRuns()).isEqualTo(1);
    assertThat(backfills.advance(b.id(), next, null, false)).isFalse();
  }

  @Test
  void stateMovesAreCompareAndSetAndTerminalStatesEndTheCursor() {
    Backfill b = create("hello", T0, T0.plusSeconds(3600));

    assertThat(
            backfills.compareAndSetState(b.id(), BackfillState.QUEUED, BackfillState.RUNNING, T0))
        .isTrue();
    assertThat(
            backfills.compareAndSetState(b.id(), BackfillState.QUEUED, BackfillState.RUNNING, T0))
        .isFalse();
    assertThat(
            backfills.compareAndSetState(
                b.id(), BackfillState.RUNNING, BackfillState.CANCELED, T0.plusSeconds(5)))
        .isTrue();

    Backfill canceled = backfills.find(b.id()).orElseThrow();
    assertThat(canceled.state()).isEqualTo(BackfillState.CANCELED);
    assertThat(canceled.endedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(canceled.nextLogicalTime()).isNull();
    assertThat(backfills.listUnfinished()).isEmpty();
    assertThat(backfills.advance(b.id(), T0, T0.plusSeconds(1), false)).isFalse();
    assertThatThrownBy(
            () ->
                backfills.compareAndSetState(
                    b.id(), BackfillState.CANCELED, BackfillState.RUNNING, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("backfill " + b.id() + " cannot move from canceled to running");
  }

  @Test
  void countsTheRunsOfABackfillPerStateAndItsActiveOnes() {
    Backfill b = create("hello", T0, T0.plusSeconds(3 * 3600));
    DagRun r0 = run(b, T0);
    DagRun r1 = run(b, T0.plusSeconds(3600));
    run(b, T0.plusSeconds(7200));
    runs.compareAndSetState(r0.runId(), DagRunState.QUEUED, DagRunState.RUNNING, T0);
    runs.compareAndSetState(r0.runId(), DagRunState.RUNNING, DagRunState.SUCCESS, T0);
    runs.compareAndSetState(r1.runId(), DagRunState.QUEUED, DagRunState.RUNNING, T0);
    // A scheduled run of the same DAG and time is not part of the backfill.
    runs.createRun(
        new NewDagRun(
            "hello",
            T0,
            RunType.SCHEDULED,
            null,
            null,
            T0,
            List.of(new NewDagRun.Task("a", 1, "in_process"))),
        Actor.SCHEDULER);

    assertThat(backfills.runCounts(b.id()))
        .isEqualTo(Map.of(DagRunState.SUCCESS, 1, DagRunState.RUNNING, 1, DagRunState.QUEUED, 1));
    assertThat(backfills.activeRuns(b.id())).isEqualTo(2);
    assertThat(runs.listByBackfill(b.id()))
        .extracting(DagRun::logicalTime)
        .containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(7200));
    assertThat(runs.countOutsideBackfills("hello", DagRunState.QUEUED)).isEqualTo(1);
    assertThat(runs.countOutsideBackfills("hello", DagRunState.RUNNING)).isZero();
  }

  @Test
  void findsUnfinishedBackfillsOverlappingARange() {
    Backfill b = create("hello", T0.plusSeconds(3600), T0.plusSeconds(7200));
    create("other", T0, T0.plusSeconds(99_999));

    assertThat(backfills.unfinishedOverlapping("hello", T0, T0.plusSeconds(3600)))
        .extracting(Backfill::id)
        .containsExactly(b.id());
    assertThat(backfills.unfinishedOverlapping("hello", T0.plusSeconds(7200), T0.plusSeconds(9000)))
        .hasSize(1);
    assertThat(backfills.unfinishedOverlapping("hello", T0, T0.plusSeconds(3599))).isEmpty();
    backfills.compareAndSetState(b.id(), BackfillState.QUEUED, BackfillState.COMPLETED, T0);
    assertThat(backfills.unfinishedOverlapping("hello", T0, T0.plusSeconds(9000))).isEmpty();
  }
}

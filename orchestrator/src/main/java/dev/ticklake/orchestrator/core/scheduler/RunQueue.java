package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.backfill.BackfillDriver;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.RunType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue of a DAG's runs outside backfills: who may enter it ({@link #requireRoom}: at most
 * {@code max_queued_runs} manual runs wait) and who leaves it for {@code running} ({@link #admit}:
 * under {@code max_active_runs}, so that neither kind of run starves the other):
 *
 * <ul>
 *   <li>scheduled runs and manual runs wait in two queues, each oldest logical time first;
 *   <li>when both queues hold runs, they take turns: a free slot goes to the kind that did not get
 *       the previous one (the kind of the DAG's run that started last); with nothing started yet,
 *       the oldest logical time goes first.
 * </ul>
 *
 * <p>So a scheduled run waits for at most one manual run per free slot, however many manual runs
 * are queued, and a manual run is never overtaken by more than one scheduled run per turn. (Runs of
 * other types outside backfills, if any, wait with the scheduled ones.)
 */
final class RunQueue {

  private final DagRunDao runs;
  private final BackfillDriver backfills;

  RunQueue(DagRunDao runs, BackfillDriver backfills) {
    this.runs = runs;
    this.backfills = backfills;
  }

  /**
   * Admits queued runs of the {@code loaded} DAGs: backfill runs under their backfill's own {@code
   * max_active_runs} ({@link BackfillDriver#mayStart}), the others per DAG with {@link #admit}.
   */
  void admitAll(Map<String, DagDefinition> loaded, Instant now) {
    Map<String, List<DagRun>> outsideBackfills = new LinkedHashMap<>();
    for (DagRun run : runs.listByState(DagRunState.QUEUED, 10_000)) {
      if (!loaded.containsKey(run.dagId())) {
        continue;
      }
      if (run.backfillId() == null) {
        outsideBackfills.computeIfAbsent(run.dagId(), id -> new ArrayList<>()).add(run);
      } else if (backfills.mayStart(run, now)) {
        runs.compareAndSetState(run.runId(), DagRunState.QUEUED, DagRunState.RUNNING, now);
      }
    }
    outsideBackfills.forEach((dagId, queued) -> admit(loaded.get(dagId), queued, now));
  }

  /**
   * Throws 409 when {@code dag} has {@code max_queued_runs} (else {@code defaultMax}) manual runs
   * queued: a trigger would exceed the bound. Scheduled runs are not bounded by it.
   */
  void requireRoom(DagDefinition dag, int defaultMax) {
    int max = dag.maxQueuedRuns().orElse(defaultMax);
    int queued = runs.countOutsideBackfills(dag.dagId(), DagRunState.QUEUED, RunType.MANUAL);
    if (queued >= max) {
      throw RunRequestException.conflict(
          String.format(
              "DAG '%s' has %d manual runs queued already, its limit (max_queued_runs: %d, %s):"
                  + " wait until some start, cancel some (ticklake dags cancel RUN_ID), or raise"
                  + " max_queued_runs in the DAG file",
              dag.dagId(),
              queued,
              max,
              dag.maxQueuedRuns().isPresent()
                  ? "set in " + dag.source()
                  : "the service default scheduler.maxQueuedRuns"));
    }
  }

  /** Admits from {@code queued} (runs of {@code dag}, oldest logical time first). */
  void admit(DagDefinition dag, List<DagRun> queued, Instant now) {
    int free = dag.maxActiveRuns() - runs.countOutsideBackfills(dag.dagId(), DagRunState.RUNNING);
    if (free <= 0) {
      return;
    }
    Deque<DagRun> manual = new ArrayDeque<>();
    Deque<DagRun> scheduled = new ArrayDeque<>();
    for (DagRun run : queued) {
      (run.runType() == RunType.MANUAL ? manual : scheduled).add(run);
    }
    RunType last = runs.lastStartedType(dag.dagId()).orElse(null);
    while (free > 0 && !(manual.isEmpty() && scheduled.isEmpty())) {
      DagRun next = next(manual, scheduled, last).poll();
      if (runs.compareAndSetState(next.runId(), DagRunState.QUEUED, DagRunState.RUNNING, now)) {
        free--;
        last = next.runType();
      }
    }
  }

  /** The queue whose turn it is. */
  private static Deque<DagRun> next(Deque<DagRun> manual, Deque<DagRun> scheduled, RunType last) {
    if (manual.isEmpty() || scheduled.isEmpty()) {
      return manual.isEmpty() ? scheduled : manual;
    }
    if (last == null) {
      return manual.peek().logicalTime().isBefore(scheduled.peek().logicalTime())
          ? manual
          : scheduled;
    }
    return last == RunType.MANUAL ? scheduled : manual;
  }
}

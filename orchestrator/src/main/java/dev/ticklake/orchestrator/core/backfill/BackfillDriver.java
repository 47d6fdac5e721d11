package dev.ticklake.orchestrator.core.backfill;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.Backfill;
import dev.ticklake.orchestrator.db.BackfillDao;
import dev.ticklake.orchestrator.db.CreatedRun;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's side of backfills, called once per scheduling pass.
 *
 * <p>{@link #createRuns}: for each unfinished backfill whose DAG is loaded, ends it when every run
 * is created and over ({@code completed}, or {@code failed} if any run failed); otherwise creates
 * {@code backfill} runs at its cursor, oldest logical time first, while fewer than its {@code
 * max_active_runs} runs are queued or running. The count is the backfill's own, separate from the
 * DAG's {@code max_active_runs} (see {@link #mayStart}), so a backfill never starves scheduled runs
 * and they never starve it. Paused DAGs are backfilled too (as manual triggers run).
 *
 * <p>Idempotent and crash-safe: a run is created by the unique key (dag, logical time, type) and
 * the cursor then moves by compare-and-set; after a crash between the two, the next pass finds the
 * run already there and just moves the cursor. A logical time whose backfill run belongs to an
 * earlier backfill is left alone and counted as skipped.
 */
public final class BackfillDriver {

  private static final Logger LOG = LoggerFactory.getLogger(BackfillDriver.class);

  /** Runs one backfill may create in one pass (keeps a pass short). */
  private static final int MAX_CREATED_PER_PASS = 100;

  private final BackfillDao backfills;
  private final DagRunDao runs;

  public BackfillDriver(Jdbi jdbi) {
    this.backfills = new BackfillDao(jdbi);
    this.runs = new DagRunDao(jdbi);
  }

  /** One pass over the unfinished backfills; returns how many runs it created. */
  public int createRuns(Instant now, Map<String, DagDefinition> loaded) {
    int created = 0;
    for (Backfill b : backfills.listUnfinished()) {
      DagDefinition dag = loaded.get(b.dagId());
      if (dag == null || !dag.schedule().isTimeBased()) {
        continue; // its DAG file is gone or broken: wait for it
      }
      try {
        created += advance(b, dag, now);
      } catch (RuntimeException e) {
        LOG.error("backfill {} of {}: pass failed, retried next pass", b.id(), b.dagId(), e);
      }
    }
    return created;
  }

  private int advance(Backfill b, DagDefinition dag, Instant now) {
    if (b.nextLogicalTime() == null) {
      finishIfDone(b, now);
      return 0;
    }
    int created = 0;
    Instant cursor = b.nextLogicalTime();
    int active = backfills.activeRuns(b.id());
    while (cursor != null && active < b.maxActiveRuns() && created < MAX_CREATED_PER_PASS) {
      CreatedRun run =
          runs.createRun(
              NewDagRun.of(dag, cursor, RunType.BACKFILL, b.conf(), b.id(), now), Actor.SCHEDULER);
      boolean ours = Objects.equals(run.run().backfillId(), b.id());
      if (!ours) {
        LOG.info(
            "backfill {}: {} already exists (backfill {}), skipped",
            b.id(),
            run.run().runId(),
            run.run().backfillId());
      }
      Instant next = BackfillPlan.next(dag, cursor, b.to()).orElse(null);
      if (!backfills.advance(b.id(), cursor, next, !ours)) {
        return created; // canceled, or another scheduler moved it: re-read next pass
      }
      if (run.created()) {
        created++;
        active++;
        LOG.debug("backfill {}: created {}", b.id(), run.run().runId());
      }
      if (b.state() == BackfillState.QUEUED
          && backfills.compareAndSetState(
              b.id(), BackfillState.QUEUED, BackfillState.RUNNING, now)) {
        b = backfills.find(b.id()).orElseThrow();
      }
      cursor = next;
    }
    return created;
  }

  private void finishIfDone(Backfill b, Instant now) {
    if (backfills.activeRuns(b.id()) > 0) {
      return;
    }
    Map<DagRunState, Integer> counts = backfills.runCounts(b.id());
    BackfillState end =
        counts.getOrDefault(DagRunState.FAILED, 0) > 0
            ? BackfillState.FAILED
            : BackfillState.COMPLETED;
    if (backfills.compareAndSetState(b.id(), b.state(), end, now)) {
      LOG.info("backfill {} of {} ended: {} (runs {})", b.id(), b.dagId(), end, counts);
    }
  }

  /**
   * Whether a queued backfill run may start now: yes, unless its backfill was canceled (then the
   * run is failed here, since cancel means no new runs). Backfill runs are not counted against the
   * DAG's {@code max_active_runs}; their backfill created them under its own limit.
   */
  public boolean mayStart(DagRun run, Instant now) {
    Optional<Backfill> b =
        run.backfillId() == null ? Optional.empty() : backfills.find(run.backfillId());
    if (b.isPresent() && b.get().state() == BackfillState.CANCELED) {
      runs.compareAndSetState(run.runId(), DagRunState.QUEUED, DagRunState.FAILED, now);
      return false;
    }
    return true;
  }

  /**
   * {@code running} reordered so that runs outside backfills come first (each group keeps its
   * order): their tasks get free executor slots before backfill tasks do, so a backfill with many
   * active runs cannot take every worker from the scheduled runs.
   */
  public static List<DagRun> outsideBackfillsFirst(List<DagRun> running) {
    List<DagRun> ordered = new ArrayList<>(running);
    ordered.sort(Comparator.comparing(r -> r.backfillId() != null));
    return ordered;
  }
}

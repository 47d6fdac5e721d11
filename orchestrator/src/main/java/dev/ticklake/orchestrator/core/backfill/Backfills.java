package dev.ticklake.orchestrator.core.backfill;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.Backfill;
import dev.ticklake.orchestrator.db.BackfillDao;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.NewBackfill;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating and canceling backfills (what the REST API calls). Validation happens before anything is
 * written: a rejected request ({@link BackfillRequestException}) changes nothing. The runs
 * themselves are created by the scheduler ({@link BackfillDriver}).
 */
public final class Backfills {

  private static final Logger LOG = LoggerFactory.getLogger(Backfills.class);

  private final Supplier<Map<String, DagDefinition>> dags;
  private final BackfillDao backfills;
  private final DagRunDao runs;
  private final BackfillLimits limits;
  private final Clock clock;
  private final Runnable wakeScheduler;

  /**
   * @param dags the DAGs loaded now (e.g. {@code scheduler::dags})
   * @param wakeScheduler asks the scheduler for a pass at once (a backfill was created)
   */
  public Backfills(
      Supplier<Map<String, DagDefinition>> dags,
      BackfillDao backfills,
      DagRunDao runs,
      BackfillLimits limits,
      Clock clock,
      Runnable wakeScheduler) {
    this.dags = Objects.requireNonNull(dags);
    this.backfills = Objects.requireNonNull(backfills);
    this.runs = Objects.requireNonNull(runs);
    this.limits = Objects.requireNonNull(limits);
    this.clock = Objects.requireNonNull(clock);
    this.wakeScheduler = Objects.requireNonNull(wakeScheduler);
  }

  public BackfillLimits limits() {
    return limits;
  }

  /**
   * Creates a backfill of {@code dagId} over [{@code from}, {@code to}].
   *
   * @param maxActiveRuns runs of this backfill queued or running at once, 1 to the limit
   * @param conf JSON object text given to every run, or null
   * @throws BackfillRequestException 404 unknown DAG; 400 bad range, schedule or limits; 409 when
   *     an unfinished backfill of the DAG overlaps the range
   */
  public Backfill create(
      String dagId, Instant from, Instant to, int maxActiveRuns, String conf, Actor actor) {
    DagDefinition dag = dags.get().get(dagId);
    if (dag == null) {
      throw BackfillRequestException.notFound(
          "no DAG '" + dagId + "' (loaded: " + String.join(", ", dags.get().keySet()) + ")");
    }
    if (maxActiveRuns < 1 || maxActiveRuns > limits.maxActiveRunsLimit()) {
      throw BackfillRequestException.badRequest(
          "maxActiveRuns must be between 1 and "
              + limits.maxActiveRunsLimit()
              + " (backfill.maxActiveRunsLimit), got "
              + maxActiveRuns);
    }
    BackfillPlan plan = BackfillPlan.of(dag, from, to, limits.maxRuns());
    List<Backfill> overlapping = backfills.unfinishedOverlapping(dagId, from, to);
    if (!overlapping.isEmpty()) {
      Backfill other = overlapping.get(0);
      throw BackfillRequestException.conflict(
          "backfill "
              + other.id()
              + " of DAG '"
              + dagId
              + "' over ["
              + other.from()
              + ", "
              + other.to()
              + "] is "
              + other.state()
              + " and overlaps this range: wait for it to end or cancel it"
              + " (POST /api/v1/backfills/"
              + other.id()
              + "/cancel)");
    }
    Backfill created =
        backfills.create(
            new NewBackfill(
                dagId,
                from,
                to,
                maxActiveRuns,
                conf,
                plan.first(),
                plan.count(),
                actor,
                clock.instant()));
    LOG.info(
        "backfill {} of {} over [{}, {}]: {} runs, {} at once, by {}",
        created.id(),
        dagId,
        from,
        to,
        plan.count(),
        maxActiveRuns,
        actor);
    wakeScheduler.run();
    return created;
  }

  /**
   * Cancels an unfinished backfill: no new run is created, runs already running finish, runs
   * created but not started yet are failed.
   *
   * @throws BackfillRequestException 404 unknown backfill, 409 already over
   */
  public Backfill cancel(long id, Actor actor) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Backfill b = find(id);
      if (b.state().isTerminal()) {
        throw BackfillRequestException.conflict(
            "backfill " + id + " is already " + b.state() + ": nothing to cancel");
      }
      Instant now = clock.instant();
      if (backfills.compareAndSetState(id, b.state(), BackfillState.CANCELED, now)) {
        failQueuedRuns(id, now);
        LOG.info("backfill {} canceled by {}", id, actor);
        return find(id);
      }
    }
    throw BackfillRequestException.conflict(
        "backfill " + id + " kept changing state while being canceled; try again");
  }

  /** Fails the backfill's runs that were created but not started yet. */
  void failQueuedRuns(long id, Instant now) {
    for (DagRun run : runs.listByBackfill(id)) {
      if (run.state() == DagRunState.QUEUED) {
        runs.compareAndSetState(run.runId(), DagRunState.QUEUED, DagRunState.FAILED, now);
      }
    }
  }

  /**
   * @throws BackfillRequestException 404 when there is no such backfill
   */
  public Backfill find(long id) {
    return backfills
        .find(id)
        .orElseThrow(() -> BackfillRequestException.notFound("no backfill " + id));
  }
}

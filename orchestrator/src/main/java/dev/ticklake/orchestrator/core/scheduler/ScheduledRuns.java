package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.CreatedRun;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRecord;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the scheduled runs of time-based DAGs. For each unpaused DAG with a time-based schedule,
 * creates the next due run (logical time at or before now) while fewer than {@code max_active_runs}
 * scheduled runs are queued or running. Manual runs do not count: however many are queued, the
 * schedule's runs are still created when due (and then take turns with them, {@link RunQueue}).
 * With {@code catchup: false} only the latest due fire time is created (missed ones are skipped);
 * with {@code catchup: true} every fire time from the start date on, oldest first. The unique key
 * (dag, logical time, type) makes a run exist at most once, whoever creates it.
 */
final class ScheduledRuns {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduledRuns.class);

  /** Most runs of one DAG created in one pass (a long catch-up goes on in the next passes). */
  private static final int MAX_PER_PASS = 100;

  private final DagDao dags;
  private final DagRunDao runs;

  ScheduledRuns(DagDao dags, DagRunDao runs) {
    this.dags = dags;
    this.runs = runs;
  }

  /** Creates the due runs of {@code loaded}; {@code onCreated} is told of each one. */
  void createDue(Collection<DagDefinition> loaded, Instant now, Runnable onCreated) {
    for (DagDefinition dag : loaded) {
      if (!dag.schedule().isTimeBased() || dag.startDate().isEmpty()) {
        continue;
      }
      Optional<DagRecord> record = dags.find(dag.dagId());
      if (record.isEmpty() || record.get().paused()) {
        continue;
      }
      Instant start = dag.startDate().get();
      for (int created = 0; created < MAX_PER_PASS; created++) {
        int active =
            runs.countOutsideBackfills(dag.dagId(), DagRunState.QUEUED, RunType.SCHEDULED)
                + runs.countOutsideBackfills(dag.dagId(), DagRunState.RUNNING, RunType.SCHEDULED);
        if (active >= dag.maxActiveRuns()) {
          break;
        }
        Optional<Instant> last = runs.latestLogicalTime(dag.dagId(), RunType.SCHEDULED);
        Optional<Instant> next = NextLogicalTime.of(dag, start, last, now);
        if (next.isEmpty()) {
          break;
        }
        CreatedRun run =
            runs.createRun(
                NewDagRun.of(dag, next.get(), RunType.SCHEDULED, null, null, now), Actor.SCHEDULER);
        if (!run.created()) {
          break;
        }
        onCreated.run();
        LOG.debug("created {}", run.run().runId());
      }
    }
  }
}

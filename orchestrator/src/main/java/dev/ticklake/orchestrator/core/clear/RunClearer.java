package dev.ticklake.orchestrator.core.clear;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskStateChange;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * Clears task instances of a DAG run so that the scheduler runs them again, atomically: either
 * every chosen task instance goes back to {@code none} (a {@code CLEAR} move of the state machine,
 * one event each with the actor and the reason) and a finished run goes back to {@code queued}, or
 * nothing changes.
 *
 * <p>Try numbers keep counting (the next try of a task cleared after try 2 is try 3), the logs and
 * events of earlier tries stay, and each cleared task gets a fresh set of tries: {@code max_tries}
 * becomes its current try number plus the tries its retry policy allows. Thread-safe.
 */
public final class RunClearer {

  private final Jdbi jdbi;
  private final DagRunDao runs;
  private final TaskInstanceDao tasks;
  private final Clock clock;

  public RunClearer(Jdbi jdbi, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.runs = new DagRunDao(jdbi);
    this.tasks = new TaskInstanceDao(jdbi);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a clear did. */
  public record Result(DagRun run, List<String> clearedTaskIds) {}

  /**
   * Clears what {@code request} selects (see {@link ClearPlanner}) in run {@code runId} of {@code
   * dag}.
   *
   * @throws ClearException NOT_FOUND for an unknown run (or one of another DAG) or task, CONFLICT
   *     for unfinished task instances or a concurrent change; nothing is changed then
   */
  public Result clear(DagDefinition dag, String runId, ClearRequest request, Actor actor) {
    DagRun run =
        runs.find(runId)
            .filter(r -> r.dagId().equals(dag.dagId()))
            .orElseThrow(
                () ->
                    new ClearException(
                        ClearException.Kind.NOT_FOUND,
                        "no run '" + runId + "' of DAG '" + dag.dagId() + "'"));
    List<TaskInstance> chosen = ClearPlanner.plan(dag, tasks.listByRun(runId), request);
    if (chosen.isEmpty()) {
      return new Result(run, List.of());
    }
    var now = clock.instant();
    try {
      jdbi.useTransaction(
          h -> {
            for (TaskInstance ti : chosen) {
              int tries =
                  dag.task(ti.taskId())
                      .map(TaskDefinition::retryPolicy)
                      .map(p -> p.maxTries())
                      .orElse(1);
              TaskStateChange change =
                  TaskStateChange.of(
                          ti.runId(),
                          ti.taskId(),
                          ti.state(),
                          TaskState.NONE,
                          actor,
                          "cleared: " + request.reason(),
                          now)
                      .expectingVersion(ti.version())
                      .asClear(ti.tryNumber() + tries);
              if (!TaskInstanceDao.compareAndSetState(h, change)) {
                throw new LostRace(); // rolls the whole clear back
              }
            }
            if (run.state().isTerminal()
                && !DagRunDao.compareAndSetState(h, runId, run.state(), DagRunState.QUEUED, now)) {
              throw new LostRace();
            }
          });
    } catch (LostRace e) {
      throw new ClearException(
          ClearException.Kind.CONFLICT,
          "run " + runId + " changed while it was being cleared; nothing was cleared, try again");
    }
    return new Result(
        runs.find(runId).orElseThrow(), chosen.stream().map(TaskInstance::taskId).toList());
  }

  /** A compare-and-set lost to a concurrent change. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super(null, null, false, false);
    }
  }
}

package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.dag.ExecutorType;
import dev.ticklake.orchestrator.core.exec.TaskExecutors;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskStateChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The database side of a cancel: a run goes to {@code canceled} together with every unfinished task
 * instance of it, in one transaction (so a restart finds either nothing canceled or all of it, and
 * recovery, which only repairs {@code running} and {@code queued} task instances, leaves a canceled
 * run alone); or one task instance goes to {@code canceled}. Each task instance gets an event whose
 * actor is the caller, with the reason {@code canceled by <actor>}. Stopping the tries that run is
 * done next: a try of this process is interrupted (in process) or its child JVM tree killed
 * (subprocess); a try that ends after its cancel cannot change its task instance any more ({@link
 * TryEnds} only ends {@code running} ones).
 */
final class RunCanceler {

  /** Compare-and-set attempts on one task instance that workers keep moving (a try ends). */
  private static final int MAX_ATTEMPTS = 10;

  private final Jdbi jdbi;
  private final DagRunDao runs;
  private final TaskInstanceDao tasks;
  private final TaskExecutors executors;

  RunCanceler(Jdbi jdbi, DagRunDao runs, TaskInstanceDao tasks, TaskExecutors executors) {
    this.jdbi = jdbi;
    this.runs = runs;
    this.tasks = tasks;
    this.executors = executors;
  }

  static String reason(Actor actor) {
    return "canceled by " + actor.name();
  }

  CanceledRun cancelRun(String runId, Actor actor, Instant now) {
    DagRun run = runs.find(runId).orElseThrow(() -> noRun(runId));
    requireUnfinished(run);
    List<TaskInstance> canceled;
    try {
      canceled =
          jdbi.inTransaction(
              h -> {
                if (!DagRunDao.compareAndSetState(
                    h, runId, run.state(), DagRunState.CANCELED, now)) {
                  throw new LostRace();
                }
                List<TaskInstance> moved = new ArrayList<>();
                for (TaskInstance ti : TaskInstanceDao.listByRun(h, runId)) {
                  cancel(h, ti, actor, now).ifPresent(moved::add);
                }
                return moved;
              });
    } catch (LostRace e) {
      requireUnfinished(runs.find(runId).orElseThrow(() -> noRun(runId)));
      throw RunRequestException.conflict(
          "run " + runId + " changed while it was being canceled; nothing was canceled, try again");
    }
    canceled.forEach(ti -> stopTry(ti, reason(actor)));
    return new CanceledRun(
        runs.find(runId).orElseThrow(), canceled.stream().map(TaskInstance::taskId).toList());
  }

  /** The task instance after its cancel. */
  TaskInstance cancelTask(String runId, String taskId, Actor actor, Instant now) {
    TaskInstance ti =
        tasks
            .find(runId, taskId)
            .orElseThrow(
                () ->
                    RunRequestException.notFound(
                        "no task '" + taskId + "' in run '" + runId + "'"));
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (ti.state().isTerminal()) {
        throw RunRequestException.conflict(
            "task "
                + taskId
                + " of run "
                + runId
                + " is already "
                + ti.state().dbName()
                + ": only unfinished task instances can be canceled (clear it to run it again)");
      }
      if (tasks.compareAndSetState(change(ti, actor, now))) {
        stopTry(ti, reason(actor));
        return tasks.find(runId, taskId).orElseThrow();
      }
      ti = tasks.find(runId, taskId).orElseThrow();
    }
    throw RunRequestException.conflict(
        "task " + taskId + " of run " + runId + " kept changing; nothing was canceled, try again");
  }

  /** Cancels {@code ti} in {@code h}'s transaction unless it is finished; the state it had. */
  private static Optional<TaskInstance> cancel(
      Handle h, TaskInstance ti, Actor actor, Instant now) {
    TaskInstance current = ti;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (current.state().isTerminal()) {
        return Optional.empty();
      }
      if (TaskInstanceDao.compareAndSetState(h, change(current, actor, now))) {
        return Optional.of(current);
      }
      current = TaskInstanceDao.find(h, ti.runId(), ti.taskId()).orElseThrow();
    }
    throw new LostRace();
  }

  /** Stops the try of {@code ti} (as it was before its cancel) if it runs in this process. */
  private void stopTry(TaskInstance ti, String why) {
    if (ti.state() != TaskState.RUNNING) {
      return;
    }
    String key = ti.key() + "#" + ti.tryNumber();
    for (ExecutorType type : ExecutorType.values()) {
      if (executors.forType(type).cancel(key, why)) {
        return;
      }
    }
  }

  private static TaskStateChange change(TaskInstance ti, Actor actor, Instant now) {
    return TaskStateChange.of(
            ti.runId(), ti.taskId(), ti.state(), TaskState.CANCELED, actor, reason(actor), now)
        .expectingVersion(ti.version());
  }

  private static void requireUnfinished(DagRun run) {
    if (run.state().isTerminal()) {
      throw RunRequestException.conflict(
          "run "
              + run.runId()
              + " is already "
              + run.state().dbName()
              + ": only queued or running runs can be canceled (clear it to run it again)");
    }
  }

  private static RunRequestException noRun(String runId) {
    return RunRequestException.notFound("no run '" + runId + "'");
  }

  /** A compare-and-set lost to a concurrent change: rolls the transaction back. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super(null, null, false, false);
    }
  }
}

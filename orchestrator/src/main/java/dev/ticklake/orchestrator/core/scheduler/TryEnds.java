package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.core.exec.RunContext;
import dev.ticklake.orchestrator.core.exec.TaskResult;
import dev.ticklake.orchestrator.core.exec.TaskRun;
import dev.ticklake.orchestrator.core.retry.Retryability;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import dev.ticklake.orchestrator.db.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the end of a try: its log, then running to success, to up_for_retry (with {@code
 * next_retry_at} from the task's retry policy) or to failed when no try is left or the error is
 * non-retryable. Only the try that is still current may end its task instance (a recovered or
 * cleared one moved on). Never throws: a database error is logged.
 */
final class TryEnds {

  private static final Logger LOG = LoggerFactory.getLogger(TryEnds.class);
  private static final int MAX_REASON_CHARS = 3000;

  private final TaskInstanceDao tasks;
  private final TaskLogDao logs;
  private final Clock clock;

  TryEnds(TaskInstanceDao tasks, TaskLogDao logs, Clock clock) {
    this.tasks = tasks;
    this.logs = logs;
    this.clock = clock;
  }

  /** The state the try left its task instance in, or empty when it was no longer current. */
  Optional<TaskState> record(TaskDefinition task, TaskRun run, TaskResult result) {
    RunContext ctx = run.context();
    Instant now = clock.instant();
    try {
      logs.append(ctx.runId(), ctx.taskId(), ctx.tryNumber(), result.log(), now);
    } catch (RuntimeException e) {
      LOG.error("cannot store the log of {}", run.key(), e);
    }
    TaskStateChange change =
        result.succeeded()
            ? end(
                ctx,
                TaskState.SUCCESS,
                result.outcome().status() + ": " + truncate(result.outcome().summary()),
                now)
            : failure(task, ctx, result.error(), now);
    try {
      TaskInstance ti = tasks.find(ctx.runId(), ctx.taskId()).orElse(null);
      if (ti != null
          && ti.state() == TaskState.RUNNING
          && ti.tryNumber() == ctx.tryNumber()
          && tasks.compareAndSetState(change.expectingVersion(ti.version()))) {
        return Optional.of(change.newState());
      }
    } catch (RuntimeException e) {
      LOG.error("cannot record the end of {}", run.key(), e);
    }
    return Optional.empty();
  }

  private TaskStateChange failure(
      TaskDefinition task, RunContext ctx, Throwable error, Instant now) {
    String what = truncate(String.valueOf(error));
    // The stored max_tries, not the policy's: a clear grants new tries by raising it.
    int maxTries =
        tasks
            .find(ctx.runId(), ctx.taskId())
            .map(TaskInstance::maxTries)
            .orElse(task.retryPolicy().maxTries());
    if (ctx.tryNumber() < maxTries && Retryability.isRetryable(error)) {
      Duration delay =
          task.retryPolicy().delayAfterTry(ctx.tryNumber(), ctx.runId() + "/" + ctx.taskId());
      return end(
              ctx,
              TaskState.UP_FOR_RETRY,
              "try " + ctx.tryNumber() + " failed, retry in " + delay + ": " + what,
              now)
          .withNextRetryAt(now.plus(delay));
    }
    String why =
        Retryability.isRetryable(error)
            ? "no try left (" + ctx.tryNumber() + " of " + maxTries + ")"
            : "non-retryable error";
    return end(
        ctx, TaskState.FAILED, "try " + ctx.tryNumber() + " failed, " + why + ": " + what, now);
  }

  private static TaskStateChange end(RunContext ctx, TaskState to, String reason, Instant now) {
    return TaskStateChange.of(
        ctx.runId(), ctx.taskId(), TaskState.RUNNING, to, Actor.WORKER, reason, now);
  }

  private static String truncate(String s) {
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "...";
  }
}

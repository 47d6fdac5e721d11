package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.core.state.TransitionKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A requested compare-and-set of one task instance's state, with what to record about it.
 * Immutable; build with {@link #of} and the {@code with...} methods.
 *
 * @param expectedVersion also require this version (optimistic lock), or null to check the state
 *     only
 * @param nextRetryAt required when moving to {@code up_for_retry}
 * @param hostname recorded when moving to {@code running}
 * @param pid recorded when moving to {@code running}
 * @param maxTries new {@code max_tries}, or null to keep it (a clear grants new tries with it)
 */
public record TaskStateChange(
    String runId,
    String taskId,
    TaskState expectedState,
    Long expectedVersion,
    TaskState newState,
    TransitionKind kind,
    Actor actor,
    String reason,
    Instant at,
    Instant nextRetryAt,
    String hostname,
    Long pid,
    Integer maxTries) {

  public TaskStateChange {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(expectedState, "expectedState");
    Objects.requireNonNull(newState, "newState");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /** A normal move {@code from -> to}, checked on the state only. */
  public static TaskStateChange of(
      String runId,
      String taskId,
      TaskState from,
      TaskState to,
      Actor actor,
      String reason,
      Instant at) {
    return new TaskStateChange(
        runId,
        taskId,
        from,
        null,
        to,
        TransitionKind.NORMAL,
        actor,
        reason,
        at,
        null,
        null,
        null,
        null);
  }

  public TaskStateChange expectingVersion(long version) {
    return copy(version, kind, nextRetryAt, hostname, pid, maxTries);
  }

  public TaskStateChange withNextRetryAt(Instant retryAt) {
    return copy(expectedVersion, kind, retryAt, hostname, pid, maxTries);
  }

  public TaskStateChange withWorker(String host, long processId) {
    return copy(expectedVersion, kind, nextRetryAt, host, processId, maxTries);
  }

  /** This move, also setting the task instance's {@code max_tries} (a try given back). */
  public TaskStateChange withMaxTries(int newMaxTries) {
    return copy(expectedVersion, kind, nextRetryAt, hostname, pid, newMaxTries);
  }

  /** Makes this a {@link TransitionKind#CLEAR} that grants tries up to {@code newMaxTries}. */
  public TaskStateChange asClear(int newMaxTries) {
    return copy(expectedVersion, TransitionKind.CLEAR, nextRetryAt, hostname, pid, newMaxTries);
  }

  /** This change with the given optional parts; the move itself stays. */
  private TaskStateChange copy(
      Long version,
      TransitionKind transitionKind,
      Instant retryAt,
      String host,
      Long processId,
      Integer tries) {
    return new TaskStateChange(
        runId,
        taskId,
        expectedState,
        version,
        newState,
        transitionKind,
        actor,
        reason,
        at,
        retryAt,
        host,
        processId,
        tries);
  }

  /** {@code run_id/task_id}. */
  public String key() {
    return runId + "/" + taskId;
  }
}

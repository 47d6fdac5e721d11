package dev.ticklake.orchestrator.api;

import static dev.ticklake.orchestrator.api.Timestamps.text;

import dev.ticklake.orchestrator.db.TaskInstance;

/** A task instance (the latest try of a task in a run) as the API shows it. */
public record TaskInstanceView(
    String runId,
    String taskId,
    String state,
    int tryNumber,
    int maxTries,
    String executor,
    String hostname,
    String queuedAt,
    String startedAt,
    String endedAt,
    String nextRetryAt,
    String stateReason) {

  /** The task instance without the reason of its state (where none was looked up). */
  public static TaskInstanceView of(TaskInstance t) {
    return of(t, null);
  }

  /**
   * @param stateReason why the task is in its state: the reason recorded with the change that set
   *     it (e.g. "recovered after scheduler restart", a timeout, the error of a failed try)
   */
  public static TaskInstanceView of(TaskInstance t, String stateReason) {
    return new TaskInstanceView(
        t.runId(),
        t.taskId(),
        t.state().dbName(),
        t.tryNumber(),
        t.maxTries(),
        t.executor(),
        t.hostname(),
        text(t.queuedAt()),
        text(t.startedAt()),
        text(t.endedAt()),
        text(t.nextRetryAt()),
        stateReason);
  }
}

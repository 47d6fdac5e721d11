package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.TaskState;
import java.time.Instant;

/**
 * One task instance as stored. {@code tryNumber} counts the tries started so far (0 before the
 * first start; it grows when the task moves to {@code running}). {@code version} grows by one with
 * every state change. Nullable: hostname, pid and the timestamps not reached yet.
 */
public record TaskInstance(
    String runId,
    String taskId,
    TaskState state,
    int tryNumber,
    int maxTries,
    String executor,
    String hostname,
    Long pid,
    Instant queuedAt,
    Instant startedAt,
    Instant endedAt,
    Instant nextRetryAt,
    Instant lastHeartbeatAt,
    long version) {

  /** {@code run_id/task_id}, the key used in messages and for retry jitter. */
  public String key() {
    return runId + "/" + taskId;
  }
}

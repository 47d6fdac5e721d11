package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.RunType;

/**
 * What the scheduler tells observers (metrics): runs it created and tries that ended. Called on the
 * scheduler's and the workers' threads: implementations are thread-safe and fast, and must not
 * throw.
 */
public interface SchedulerEvents {

  SchedulerEvents NONE = new SchedulerEvents() {};

  /** A run was created (scheduled, manual or by a backfill). */
  default void runCreated(RunType type) {}

  /** A try ended and its task instance moved to {@code to} (success, up_for_retry or failed). */
  default void tryEnded(TaskState to) {}
}

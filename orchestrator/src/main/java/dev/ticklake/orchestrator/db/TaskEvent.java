package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.TaskState;
import java.time.Instant;

/**
 * One row of the append-only state history of a task instance. {@code fromState} is null for the
 * creation of the task instance; {@code id} grows with time.
 */
public record TaskEvent(
    long id,
    String runId,
    String taskId,
    int tryNumber,
    TaskState fromState,
    TaskState toState,
    Instant at,
    String actor,
    String reason) {}

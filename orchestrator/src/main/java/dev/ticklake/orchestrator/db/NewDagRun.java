package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A DAG run to create, with its task instances (all created in state {@code none}).
 *
 * @param conf JSON text passed to the run (e.g. from a manual trigger), or null
 * @param backfillId the backfill that asked for it, or null
 */
public record NewDagRun(
    String dagId,
    Instant logicalTime,
    RunType runType,
    String conf,
    Long backfillId,
    Instant queuedAt,
    List<Task> tasks) {

  /** One task instance of the new run. */
  public record Task(String taskId, int maxTries, String executor) {
    public Task {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(executor, "executor");
      if (maxTries < 1) {
        throw new IllegalArgumentException("maxTries must be >= 1, got " + maxTries);
      }
    }
  }

  public NewDagRun {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(logicalTime, "logicalTime");
    Objects.requireNonNull(runType, "runType");
    Objects.requireNonNull(queuedAt, "queuedAt");
    tasks = List.copyOf(tasks);
  }

  /**
   * A run of {@code dag} at {@code logicalTime} with one task instance per task (its max tries and
   * executor from the DAG file), queued at {@code now}.
   */
  public static NewDagRun of(
      DagDefinition dag,
      Instant logicalTime,
      RunType runType,
      String conf,
      Long backfillId,
      Instant now) {
    return new NewDagRun(
        dag.dagId(),
        logicalTime,
        runType,
        conf,
        backfillId,
        now,
        dag.tasks().stream()
            .map(t -> new Task(t.taskId(), t.retryPolicy().maxTries(), t.executor().yamlName()))
            .toList());
  }

  public String runId() {
    return DagRun.runId(dagId, runType, logicalTime);
  }
}

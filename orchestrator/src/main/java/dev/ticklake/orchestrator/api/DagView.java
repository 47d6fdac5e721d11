package dev.ticklake.orchestrator.api;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.db.DagRecord;
import java.util.List;

/**
 * A DAG as {@code GET /api/v1/dags} and {@code GET /api/v1/dags/{dagId}} show it. {@code
 * maxQueuedRuns} is the file's {@code max_queued_runs}, null when the service default applies.
 */
public record DagView(
    String dagId,
    String description,
    String schedule,
    boolean paused,
    int maxActiveRuns,
    Integer maxQueuedRuns,
    boolean catchup,
    String source,
    List<Task> tasks) {

  /** One task of the DAG. */
  public record Task(String taskId, String pipeline, List<String> upstream, String triggerRule) {}

  /** The loaded definition with the database's paused flag. */
  public static DagView of(DagDefinition dag, DagRecord record) {
    return new DagView(
        dag.dagId(),
        dag.description(),
        dag.schedule().describe(),
        record.paused(),
        dag.maxActiveRuns(),
        dag.maxQueuedRuns().orElse(null),
        dag.catchup(),
        dag.source(),
        dag.tasks().stream()
            .map(t -> new Task(t.taskId(), t.pipeline(), t.upstream(), t.triggerRule().yamlName()))
            .toList());
  }
}

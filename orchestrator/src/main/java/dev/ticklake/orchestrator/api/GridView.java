package dev.ticklake.orchestrator.api;

import dev.ticklake.orchestrator.db.TaskInstance;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/v1/dags/{dagId}/grid}: a DAG's newest runs (oldest first, so the
 * newest is the last column of the web UI's grid) with the state of each task in one request.
 * {@code nextRunAt}: the schedule's next fire time after now (null when not time-based).
 */
public record GridView(String dagId, String nextRunAt, List<String> taskIds, List<Column> runs) {

  /** One run and its task instances by task id (a task without an instance is absent). */
  public record Column(DagRunView run, Map<String, Cell> tasks) {}

  /** A task instance as a grid cell shows it. */
  public record Cell(String state, int tryNumber, String startedAt, String endedAt) {
    public static Cell of(TaskInstance t) {
      return new Cell(
          t.state().dbName(),
          t.tryNumber(),
          Timestamps.text(t.startedAt()),
          Timestamps.text(t.endedAt()));
    }
  }
}

package dev.ticklake.orchestrator.api;

import static dev.ticklake.orchestrator.api.Timestamps.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.db.DagRun;

/**
 * A DAG run as the API shows it. {@code conf} is the run's conf as the JSON object it was given (or
 * null), as in backfills; times are ISO-8601 or null.
 */
public record DagRunView(
    String runId,
    String dagId,
    String logicalTime,
    String runType,
    String state,
    JsonNode conf,
    String queuedAt,
    String startedAt,
    String endedAt) {

  public static DagRunView of(DagRun r) {
    return new DagRunView(
        r.runId(),
        r.dagId(),
        text(r.logicalTime()),
        r.runType().dbName(),
        r.state().dbName(),
        RunConfs.parse(r.conf()),
        text(r.queuedAt()),
        text(r.startedAt()),
        text(r.endedAt()));
  }
}

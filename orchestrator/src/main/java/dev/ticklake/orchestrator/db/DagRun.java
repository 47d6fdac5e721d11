package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.DagRunState;
import java.time.Instant;

/**
 * One DAG run as stored. {@code conf} (JSON text), {@code backfillId}, {@code startedAt} and {@code
 * endedAt} are null when not set.
 */
public record DagRun(
    String runId,
    String dagId,
    Instant logicalTime,
    RunType runType,
    DagRunState state,
    String conf,
    Long backfillId,
    Instant queuedAt,
    Instant startedAt,
    Instant endedAt) {

  /**
   * The deterministic run id: {@code <dag_id>__<run_type>__<logical time ISO-8601 UTC>}, e.g.
   * {@code medallion__scheduled__2026-01-01T00:00:05Z}. Unique because (dag, time, type) is.
   */
  public static String runId(String dagId, RunType runType, Instant logicalTime) {
    return dagId + "__" + runType.dbName() + "__" + Jdbis.truncate(logicalTime);
  }
}

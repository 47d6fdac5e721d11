package dev.ticklake.orchestrator.api;

import static dev.ticklake.orchestrator.api.Timestamps.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.Backfill;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backfill as the API shows it, with its runs counted per state ({@code runs} has every state, in
 * {@link DagRunState} order, zero included; {@code createdRuns} is their sum). {@code conf} is the
 * stored JSON as JSON (a string when it does not parse), or null.
 */
public record BackfillView(
    long id,
    String dagId,
    String from,
    String to,
    int maxActiveRuns,
    String state,
    JsonNode conf,
    int plannedRuns,
    int skippedRuns,
    int createdRuns,
    Map<String, Integer> runs,
    String nextLogicalTime,
    String createdBy,
    String createdAt,
    String endedAt) {

  public static BackfillView of(Backfill b, Map<DagRunState, Integer> counts) {
    Map<String, Integer> runs = new LinkedHashMap<>();
    int total = 0;
    for (DagRunState s : DagRunState.values()) {
      int n = counts.getOrDefault(s, 0);
      runs.put(s.dbName(), n);
      total += n;
    }
    return new BackfillView(
        b.id(),
        b.dagId(),
        b.from().toString(),
        b.to().toString(),
        b.maxActiveRuns(),
        b.state().dbName(),
        RunConfs.parse(b.conf()),
        b.plannedRuns(),
        b.skippedRuns(),
        total,
        runs,
        text(b.nextLogicalTime()),
        b.createdBy(),
        text(b.createdAt()),
        text(b.endedAt()));
  }
}

package dev.ticklake.orchestrator.db;

import java.time.Instant;
import java.util.Objects;

/**
 * A backfill to create (state {@code queued}).
 *
 * @param firstLogicalTime the first logical time of the schedule in the range
 * @param plannedRuns how many logical times the range holds (at least 1)
 */
public record NewBackfill(
    String dagId,
    Instant from,
    Instant to,
    int maxActiveRuns,
    String conf,
    Instant firstLogicalTime,
    int plannedRuns,
    Actor createdBy,
    Instant createdAt) {

  public NewBackfill {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(firstLogicalTime, "firstLogicalTime");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    if (maxActiveRuns < 1 || plannedRuns < 1) {
      throw new IllegalArgumentException(
          "maxActiveRuns and plannedRuns must be >= 1, got " + maxActiveRuns + ", " + plannedRuns);
    }
  }
}

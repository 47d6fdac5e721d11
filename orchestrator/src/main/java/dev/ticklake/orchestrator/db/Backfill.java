package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.backfill.BackfillState;
import java.time.Instant;

/**
 * One backfill as stored: create runs of {@code dagId} for every logical time of its schedule in
 * [{@code from}, {@code to}], at most {@code maxActiveRuns} of them queued or running at once.
 *
 * @param conf JSON text given to every run, or null
 * @param plannedRuns how many logical times the range holds (fixed at creation)
 * @param skippedRuns logical times left alone because an earlier backfill already has a run there
 * @param nextLogicalTime the next logical time to create a run for; null when all are created or
 *     the backfill was canceled
 * @param endedAt when it reached a terminal state, or null
 */
public record Backfill(
    long id,
    String dagId,
    Instant from,
    Instant to,
    int maxActiveRuns,
    BackfillState state,
    String conf,
    int plannedRuns,
    int skippedRuns,
    Instant nextLogicalTime,
    String createdBy,
    Instant createdAt,
    Instant endedAt) {}

package dev.ticklake.orchestrator.core.backfill;

/**
 * Limits on backfill requests (configuration {@code backfill:}).
 *
 * @param maxRuns most logical times one backfill may cover (default 10,000)
 * @param maxActiveRunsLimit highest {@code max_active_runs} a backfill may ask for (default 16)
 */
public record BackfillLimits(int maxRuns, int maxActiveRunsLimit) {

  public static final BackfillLimits DEFAULTS = new BackfillLimits(10_000, 16);

  public BackfillLimits {
    if (maxRuns < 1 || maxActiveRunsLimit < 1) {
      throw new IllegalArgumentException(
          "backfill.maxRuns and backfill.maxActiveRunsLimit must be >= 1, got "
              + maxRuns
              + " and "
              + maxActiveRunsLimit);
    }
  }
}

package dev.ticklake.orchestrator.core.dag;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Data-aware: a run is due when any of {@code datasets} (table paths such as {@code silver/ticks})
 * got a new version since the last run. Never fires from the clock.
 */
public record DatasetSchedule(List<String> datasets) implements Schedule {

  public DatasetSchedule {
    datasets = List.copyOf(datasets);
    if (datasets.isEmpty()) {
      throw new IllegalArgumentException("a dataset schedule needs at least one dataset");
    }
  }

  @Override
  public Optional<Instant> nextFireTime(Instant after, Instant startDate) {
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "datasets " + datasets;
  }
}

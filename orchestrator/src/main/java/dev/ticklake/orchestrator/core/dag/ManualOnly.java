package dev.ticklake.orchestrator.core.dag;

import java.time.Instant;
import java.util.Optional;

/** No schedule ({@code schedule: null} or {@code none}): runs only when triggered or backfilled. */
public record ManualOnly() implements Schedule {

  @Override
  public Optional<Instant> nextFireTime(Instant after, Instant startDate) {
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "none";
  }
}

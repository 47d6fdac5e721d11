package dev.ticklake.orchestrator.core.dag;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires every {@code interval}, aligned to the DAG's start date: {@code start, start + interval,
 * start + 2 * interval, ...}. The interval is positive.
 */
public record IntervalSchedule(Duration interval, String describe) implements Schedule {

  public IntervalSchedule {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(describe, "describe");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
  }

  public IntervalSchedule(Duration interval) {
    this(interval, interval.toString());
  }

  @Override
  public Optional<Instant> nextFireTime(Instant after, Instant startDate) {
    if (after.isBefore(startDate)) {
      return Optional.of(startDate);
    }
    Duration elapsed = Duration.between(startDate, after);
    long periods = elapsed.dividedBy(interval) + 1;
    return Optional.of(startDate.plus(interval.multipliedBy(periods)));
  }
}

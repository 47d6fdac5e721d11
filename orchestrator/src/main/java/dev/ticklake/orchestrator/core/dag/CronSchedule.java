package dev.ticklake.orchestrator.core.dag;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fires at the times matched by a {@link CronExpression}, in UTC, from the start date on. */
public record CronSchedule(CronExpression cron) implements Schedule {

  public CronSchedule {
    Objects.requireNonNull(cron, "cron");
  }

  @Override
  public Optional<Instant> nextFireTime(Instant after, Instant startDate) {
    // A fire time exactly at the start date counts, hence "just before" it.
    Instant from = after.isBefore(startDate) ? startDate.minusNanos(1) : after;
    return cron.next(from);
  }

  @Override
  public String describe() {
    return cron.toString();
  }
}

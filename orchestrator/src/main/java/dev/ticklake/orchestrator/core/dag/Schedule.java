package dev.ticklake.orchestrator.core.dag;

import java.time.Instant;
import java.util.Optional;

/**
 * When a DAG runs: at a fixed interval, on a cron expression, when datasets change, or only when
 * triggered. Implementations are immutable.
 */
public sealed interface Schedule
    permits IntervalSchedule, CronSchedule, DatasetSchedule, ManualOnly {

  /**
   * The next logical time to create a run for: the first fire time that is at or after {@code
   * startDate} and strictly after {@code after}, in UTC. Empty for schedules that are not
   * time-based ({@link DatasetSchedule}, {@link ManualOnly}) and for cron expressions that do not
   * fire again within decades.
   */
  Optional<Instant> nextFireTime(Instant after, Instant startDate);

  /** The schedule as written in the DAG file, e.g. {@code 5s} or {@code @hourly}. */
  String describe();

  /** Whether the scheduler creates runs from the clock. */
  default boolean isTimeBased() {
    return this instanceof IntervalSchedule || this instanceof CronSchedule;
  }
}

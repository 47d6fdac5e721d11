package dev.ticklake.orchestrator.health;

import com.codahale.metrics.health.HealthCheck;
import dev.ticklake.orchestrator.db.SchedulerHeartbeat;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@value #NAME}: healthy when the scheduler of this process wrote its heartbeat row within {@code
 * scheduler.heartbeatTimeout}; healthy with a message saying so when this process runs no scheduler
 * ({@code scheduler.enabled: false}).
 */
public final class SchedulerHealthCheck extends HealthCheck {

  public static final String NAME = "scheduler";

  private final String schedulerId; // null: disabled
  private final SchedulerHeartbeatDao heartbeats;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param schedulerId the id of the scheduler this process runs, or empty when it runs none
   */
  public SchedulerHealthCheck(
      Optional<String> schedulerId,
      SchedulerHeartbeatDao heartbeats,
      Duration timeout,
      Clock clock) {
    this.schedulerId = schedulerId.orElse(null);
    this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  protected Result check() {
    if (schedulerId == null) {
      return Result.healthy(
          "scheduler disabled in this process (scheduler.enabled: false): it serves the API only;"
              + " runs are scheduled by a scheduler elsewhere on the same database");
    }
    Instant now = clock.instant();
    Optional<SchedulerHeartbeat> beat =
        heartbeats.list().stream().filter(h -> h.schedulerId().equals(schedulerId)).findFirst();
    if (beat.isEmpty()) {
      return Result.unhealthy(
          "scheduler " + schedulerId + " has not written a heartbeat yet (not started?)");
    }
    Duration age = Duration.between(beat.get().heartbeatAt(), now);
    String text =
        "scheduler "
            + schedulerId
            + " last heartbeat "
            + beat.get().heartbeatAt()
            + " ("
            + age.toMillis()
            + " ms ago, timeout "
            + timeout.toMillis()
            + " ms)";
    return age.compareTo(timeout) <= 0
        ? Result.healthy(text)
        : Result.unhealthy(text + ": its loop is stopped or stuck; see the service log");
  }
}

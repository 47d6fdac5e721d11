package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which scheduled run is due: pure schedule arithmetic, separate from the scheduler loop that
 * creates the runs. With {@code catchup: true} the next fire time after the last run; without, the
 * latest fire time at or before now (missed ones are skipped).
 */
final class NextLogicalTime {
  private NextLogicalTime() {}

  /** The logical time of the next scheduled run due at {@code now}, if any. */
  static Optional<Instant> of(
      DagDefinition dag, Instant start, Optional<Instant> last, Instant now) {
    Instant after = last.orElse(start.minusNanos(1));
    Optional<Instant> next = dag.schedule().nextFireTime(after, start);
    if (next.isEmpty() || next.get().isAfter(now)) {
      return Optional.empty();
    }
    if (dag.catchup()) {
      return next;
    }
    // No catchup: the latest fire time at or before now. `latest` is always a real fire time.
    Instant latest = next.get();
    for (int steps = 1; steps <= 1_000_000; steps++) {
      Optional<Instant> n = dag.schedule().nextFireTime(latest, start);
      if (n.isEmpty() || n.get().isAfter(now)) {
        break;
      }
      latest = n.get();
      if (steps % 1000 == 0) {
        // Far behind: jump near now by the average step, realigned on a real fire time.
        Duration step = Duration.between(next.get(), latest).dividedBy(steps);
        Instant guess = now.minus(step.multipliedBy(2));
        if (!step.isZero() && guess.isAfter(latest)) {
          Optional<Instant> aligned = dag.schedule().nextFireTime(guess, start);
          if (aligned.isPresent() && !aligned.get().isAfter(now)) {
            latest = aligned.get();
          }
        }
      }
    }
    return Optional.of(latest);
  }
}

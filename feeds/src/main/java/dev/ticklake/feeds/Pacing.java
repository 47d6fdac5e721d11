package dev.ticklake.feeds;

import java.time.Duration;
import java.time.Instant;

/**
 * When each item of a run may be sent, relative to the start of the run.
 *
 * <p>Instances from {@link #replay} remember the first event's time: use one per run. Not
 * thread-safe.
 */
@FunctionalInterface
public interface Pacing {

  /** Nanoseconds after the start of the run at which item {@code index} is due (0 = now). */
  long dueNanos(long index, FeedItem item);

  /** As fast as possible. */
  static Pacing none() {
    return (index, item) -> 0L;
  }

  /** {@code perSecond} items per second, evenly spaced; 0 means as fast as possible. */
  static Pacing rate(double perSecond) {
    if (perSecond < 0 || Double.isNaN(perSecond)) {
      throw new IllegalArgumentException("rate must be >= 0, got " + perSecond);
    }
    if (perSecond == 0) {
      return none();
    }
    double nanosPerItem = 1e9 / perSecond;
    return (index, item) -> (long) (index * nanosPerItem);
  }

  /**
   * Replays event time {@code speed} times faster than it happened ({@code 60}: one minute of
   * history per second), counted from the first item's timestamp; 0 means as fast as possible.
   * Malformed items (no timestamp) are due at once.
   */
  static Pacing replay(double speed) {
    if (speed < 0 || Double.isNaN(speed)) {
      throw new IllegalArgumentException("speed must be >= 0, got " + speed);
    }
    if (speed == 0) {
      return none();
    }
    return new Pacing() {
      private Instant first;

      @Override
      public long dueNanos(long index, FeedItem item) {
        if (item.event() == null) {
          return 0L;
        }
        if (first == null) {
          first = item.event().ts();
        }
        long historyNanos = Duration.between(first, item.event().ts()).toNanos();
        return (long) (Math.max(0, historyNanos) / speed);
      }
    };
  }
}

package dev.ticklake.feeds;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one {@link FeedPublisher#run}.
 *
 * @param source the feed's source name
 * @param topic where the records went
 * @param sent records the broker acknowledged
 * @param errors records that failed plus bad input the feed skipped
 * @param skipped gaps the source marked (e.g. Yahoo's null bars)
 * @param elapsed wall time of the run
 * @param stopped whether {@link FeedPublisher#stop()} ended the run early
 */
public record FeedSummary(
    String source,
    String topic,
    long sent,
    long errors,
    long skipped,
    Duration elapsed,
    boolean stopped) {

  /**
   * One line, e.g. {@code feed synthetic done: 1000 events sent to market.ticks in 1.2 s (833/s), 0
   * errors, 0 skipped}; {@code stopped} instead of {@code done} after {@link FeedPublisher#stop()}.
   */
  public String line() {
    double seconds = elapsed.toNanos() / 1e9;
    return String.format(
        Locale.ROOT,
        "feed %s %s: %d events sent to %s in %.1f s (%.0f/s), %d errors, %d skipped",
        source,
        stopped ? "stopped" : "done",
        sent,
        topic,
        seconds,
        seconds > 0 ? sent / seconds : 0.0,
        errors,
        skipped);
  }
}

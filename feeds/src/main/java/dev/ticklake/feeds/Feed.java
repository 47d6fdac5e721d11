package dev.ticklake.feeds;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A source of market events, independent of Kafka: an iterator of {@link FeedItem}s plus the pace
 * at which to send them. {@link FeedPublisher} sends a feed to Kafka; tests iterate it directly.
 *
 * <p>Implementations are not thread-safe; {@link #open} may be called more than once and starts
 * from the beginning each time (re-fetching for HTTP feeds).
 */
public interface Feed {

  /** The {@code source} field of the events, e.g. {@code synthetic}. */
  String source();

  /**
   * Reads or connects, then returns the items in send order. Input the feed skips is reported to
   * {@code problems}, never dropped silently.
   *
   * @throws FeedException when the feed cannot produce anything (bad file, HTTP error, no key)
   */
  Iterator<FeedItem> open(Consumer<FeedProblem> problems);

  /** A new pacing for one run. */
  Pacing pacing();
}

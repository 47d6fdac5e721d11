package dev.ticklake.orchestrator;

import dev.ticklake.feeds.Feed;
import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.FeedProblem;
import dev.ticklake.feeds.Pacing;
import java.util.Iterator;
import java.util.function.Consumer;

/** A feed's items sent as fast as Kafka takes them; their timestamps stay the feed's own. */
public final class UnpacedFeed {
  private UnpacedFeed() {}

  public static Feed of(Feed feed) {
    return new Feed() {
      @Override
      public String source() {
        return feed.source();
      }

      @Override
      public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
        return feed.open(problems);
      }

      @Override
      public Pacing pacing() {
        return Pacing.none();
      }
    };
  }
}

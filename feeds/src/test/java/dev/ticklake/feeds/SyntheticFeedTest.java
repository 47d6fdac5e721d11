package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.feeds.FeedItem.Kind;
import dev.ticklake.schemas.event.MalformedEventException;
import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.schemas.event.MarketEventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticFeedTest {

  private static final Instant START = Instant.parse("2024-01-02T14:30:00Z");
  private static final SyntheticFeed.Faults FAULTS =
      new SyntheticFeed.Faults(0.02, 0.03, 0.01, 0.015);

  private static List<FeedItem> take(SyntheticFeed feed, int n) {
    List<FeedItem> items = new ArrayList<>();
    Iterator<FeedItem> it = feed.items();
    while (it.hasNext() && items.size() < n) {
      items.add(it.next());
    }
    return items;
  }

  private static SyntheticFeed faulty() {
    return SyntheticFeed.builder()
        .seed(7)
        .rate(1000)
        .count(2000)
        .start(START)
        .faults(FAULTS)
        .build();
  }

  @Test
  void theFirstEventsOfASeedAreExact() {
    SyntheticFeed feed = SyntheticFeed.builder().seed(42).rate(10).start(START).build();

    List<String> values = take(feed, 7).stream().map(FeedItem::valueAsString).toList();

    assertThat(values)
        .containsExactly(
            "{\"symbol\":\"AAPL\",\"ts\":\"2024-01-02T14:30:00Z\",\"price\":190.02,\"volume\":53,"
                + "\"source\":\"synthetic\",\"event_id\":\"syn-0\"}",
            "{\"symbol\":\"GOOGL\",\"ts\":\"2024-01-02T14:30:00.100Z\",\"price\":175.01,"
                + "\"volume\":3,\"source\":\"synthetic\",\"event_id\":\"syn-1\"}",
            "{\"symbol\":\"MSFT\",\"ts\":\"2024-01-02T14:30:00.200Z\",\"price\":410.01,"
                + "\"volume\":300,\"source\":\"synthetic\",\"event_id\":\"syn-2\"}",
            "{\"symbol\":\"AMZN\",\"ts\":\"2024-01-02T14:30:00.300Z\",\"price\":185.01,"
                + "\"volume\":300,\"source\":\"synthetic\",\"event_id\":\"syn-3\"}",
            "{\"symbol\":\"TSLA\",\"ts\":\"2024-01-02T14:30:00.400Z\",\"price\":250.0,"
                + "\"volume\":5,\"source\":\"synthetic\",\"event_id\":\"syn-4\"}",
            "{\"symbol\":\"AAPL\",\"ts\":\"2024-01-02T14:30:00.500Z\",\"price\":190.04,"
                + "\"volume\":400,\"source\":\"synthetic\",\"event_id\":\"syn-5\"}",
            "{\"symbol\":\"GOOGL\",\"ts\":\"2024-01-02T14:30:00.600Z\",\"price\":175.03,"
                + "\"volume\":700,\"source\":\"synthetic\",\"event_id\":\"syn-6\"}");
  }

  @Test
  void theFirstPriceFollowsTheGbmFormula() {
    double z = new Random(42).nextGaussian();
    double dt = 5 * 0.1 / (252 * 6.5 * 3600); // five symbols take turns at 10 events/s
    double expected = 190 * Math.exp((0.05 - 0.25 * 0.25 / 2) * dt + 0.25 * Math.sqrt(dt) * z);

    MarketEvent first =
        take(SyntheticFeed.builder().seed(42).rate(10).start(START).build(), 1).get(0).event();

    assertThat(first.close()).isEqualTo(Math.round(expected * 100) / 100.0);
    assertThat(first).isEqualTo(MarketEvent.trade("AAPL", START, 190.02, 53, "synthetic", "syn-0"));
  }

  @Test
  void theSameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() {
    List<FeedItem> a = take(faulty(), 2000);
    List<FeedItem> b = take(faulty(), 2000);
    List<FeedItem> other =
        take(
            SyntheticFeed.builder()
                .seed(8)
                .rate(1000)
                .count(2000)
                .start(START)
                .faults(FAULTS)
                .build(),
            2000);

    assertThat(a).hasSize(2000).isEqualTo(b);
    assertThat(a.stream().map(FeedItem::valueAsString).toList())
        .isNotEqualTo(other.stream().map(FeedItem::valueAsString).toList());
  }

  @Test
  void injectedFaultsAreExactForASeedAndTaggedWithTheirKind() {
    List<FeedItem> items = take(faulty(), Integer.MAX_VALUE);

    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    items.forEach(item -> counts.merge(item.kind(), 1, Integer::sum));
    assertThat(counts)
        .isEqualTo(
            Map.of(
                Kind.NORMAL, 1859,
                Kind.DUPLICATE, 29,
                Kind.OUT_OF_ORDER, 63,
                Kind.MALFORMED, 27,
                Kind.INVALID_PRICE, 22));
    assertThat(items.get(18).toString())
        .isEqualTo(
            "OUT_OF_ORDER TSLA {\"symbol\":\"TSLA\",\"ts\":\"2024-01-02T14:30:00.014Z\","
                + "\"price\":250.0,\"volume\":800,\"source\":\"synthetic\","
                + "\"event_id\":\"syn-18\"}");
    assertThat(items.get(186).toString())
        .isEqualTo(
            "INVALID_PRICE TSLA {\"symbol\":\"TSLA\",\"ts\":\"2024-01-02T14:30:00.184500Z\","
                + "\"price\":0.0,\"volume\":100,\"source\":\"synthetic\","
                + "\"event_id\":\"syn-186\"}");
    assertThat(items.get(196).toString())
        .isEqualTo(
            "MALFORMED AMZN {\"symbol\":\"AMZN\",\"ts\":\"2024-01-02T14:30:00.193Z\","
                + "\"volume\":1,\"source\":\"synthetic\",\"event_id\":\"syn-196\"}");
  }

  @Test
  void everyInjectedItemIsWhatItsKindSays() {
    List<FeedItem> items = take(faulty(), Integer.MAX_VALUE);
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      FeedItem item = items.get(i);
      FeedItem previous = i > 0 ? items.get(i - 1) : null;
      switch (item.kind()) {
        case DUPLICATE -> {
          assertThat(previous.kind()).isEqualTo(Kind.NORMAL);
          assertThat(item.value()).isEqualTo(previous.value());
        }
        case MALFORMED ->
            assertThatThrownBy(() -> MarketEventCodec.parse(item.value()))
                .isInstanceOf(MalformedEventException.class);
        default -> {
          MarketEvent parsed = parse(item);
          assertThat(parsed).isEqualTo(item.event());
          assertThat(ids.add(parsed.eventId())).as("unique id %s", parsed.eventId()).isTrue();
          // No fault reuses the (symbol, ts) of another event: Silver's key stays unique.
          assertThat(keys.add(parsed.symbol() + "|" + parsed.ts())).isTrue();
          if (item.kind() == Kind.INVALID_PRICE) {
            assertThat(parsed.close()).isLessThanOrEqualTo(0);
          } else {
            assertThat(parsed.close()).isPositive();
          }
          if (item.kind() == Kind.OUT_OF_ORDER) {
            assertThat(parsed.ts()).isBefore(previous.event().ts());
          }
        }
      }
      assertThat(item.keyAsString()).isIn("AAPL", "GOOGL", "MSFT", "AMZN", "TSLA");
    }
  }

  @Test
  void faultsDoNotChangeTheNormalEvents() {
    SyntheticFeed clean =
        SyntheticFeed.builder().seed(7).rate(1000).count(2000).start(START).build();
    Map<String, MarketEvent> cleanByKey = new java.util.HashMap<>();
    clean
        .items()
        .forEachRemaining(i -> cleanByKey.put(i.event().symbol() + i.event().ts(), i.event()));

    take(faulty(), Integer.MAX_VALUE).stream()
        .filter(i -> i.kind() == Kind.NORMAL || i.kind() == Kind.OUT_OF_ORDER)
        .map(FeedItem::event)
        .forEach(
            e -> {
              MarketEvent twin = cleanByKey.get(e.symbol() + e.ts());
              assertThat(twin).isNotNull();
              assertThat(e.close()).isEqualTo(twin.close());
              assertThat(e.volume()).isEqualTo(twin.volume());
            });
  }

  @Test
  void symbolsStartPricesAndPacingAreConfigurable() {
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .symbols(List.of("NVDA", "ZZZ"))
            .startPrice("NVDA", 480)
            .volatility(0)
            .drift(0)
            .start(START)
            .count(3)
            .build();

    assertThat(take(feed, 10))
        .extracting(FeedItem::event)
        .extracting(MarketEvent::symbol, MarketEvent::ts, MarketEvent::close)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("NVDA", START, 480.0),
            org.assertj.core.groups.Tuple.tuple("ZZZ", START.plusMillis(1), 100.0),
            org.assertj.core.groups.Tuple.tuple("NVDA", START.plusMillis(2), 480.0));
    assertThat(Pacing.rate(4).dueNanos(3, null)).isEqualTo(Duration.ofMillis(750).toNanos());
    assertThat(feed.pacing().dueNanos(1000, null)).isZero();
  }

  private static MarketEvent parse(FeedItem item) {
    try {
      return MarketEventCodec.parse(item.value());
    } catch (MalformedEventException e) {
      throw new AssertionError(item + ": " + e.getMessage(), e);
    }
  }
}

package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlphaVantageFeedTest {

  private final FixtureServer server = new FixtureServer();
  private final List<Duration> backoffs = new ArrayList<>();
  private final List<FeedProblem> problems = new ArrayList<>();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private AlphaVantageFeed.Builder feed() {
    return AlphaVantageFeed.builder()
        .symbol("IBM")
        .baseUrl(server.baseUrl())
        .environment(Map.of(AlphaVantageFeed.API_KEY_ENV, "demo-key")::get)
        .throttleRetries(3, Duration.ofMillis(100))
        .sleeper(backoffs::add);
  }

  private List<MarketEvent> events(AlphaVantageFeed feed) {
    List<MarketEvent> events = new ArrayList<>();
    feed.open(problems::add).forEachRemaining(item -> events.add(item.event()));
    return events;
  }

  private static MarketEvent bar(
      String ts, BarInterval interval, double o, double h, double l, double c, long v) {
    return MarketEvent.bar("IBM", Instant.parse(ts), interval, o, h, l, c, v, "alphavantage", null);
  }

  @Test
  void intradayBarsAreConvertedFromUsEasternToUtcOldestFirst() {
    server.answer(200, "alphavantage-intraday-5min.json");

    List<MarketEvent> events = events(feed().interval(BarInterval.FIVE_MINUTES).build());

    // 2024-01-02 is in EST (UTC-5): 09:30 New York = 14:30Z.
    assertThat(events)
        .containsExactly(
            bar(
                "2024-01-02T14:30:00Z",
                BarInterval.FIVE_MINUTES,
                161.0,
                161.1,
                160.7,
                160.9,
                98012),
            bar(
                "2024-01-02T14:35:00Z",
                BarInterval.FIVE_MINUTES,
                160.9,
                161.3,
                160.85,
                161.25,
                31234),
            bar(
                "2024-01-02T14:40:00Z",
                BarInterval.FIVE_MINUTES,
                161.25,
                161.49,
                161.1,
                161.3,
                25671));
    assertThat(problems).isEmpty();
    assertThat(server.requests())
        .containsExactly(
            "/query?function=TIME_SERIES_INTRADAY&symbol=IBM&interval=5min&outputsize=compact"
                + "&datatype=json&apikey=demo-key");
  }

  @Test
  void dailyBarsAreStampedAtMidnightUtcOfTheirDate() {
    server.answer(200, "alphavantage-daily.json");

    List<MarketEvent> events =
        events(feed().series(AlphaVantageFeed.Series.DAILY).outputSize("full").build());

    assertThat(events)
        .containsExactly(
            bar(
                "2024-07-01T00:00:00Z",
                BarInterval.ONE_DAY,
                173.45,
                175.37,
                172.81,
                174.99,
                3017295),
            bar(
                "2024-07-02T00:00:00Z",
                BarInterval.ONE_DAY,
                175.1,
                176.03,
                174.22,
                175.73,
                2856421));
    assertThat(server.requests())
        .containsExactly(
            "/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=full&datatype=json"
                + "&apikey=demo-key");
  }

  @Test
  void anErrorMessageBodyFailsWithItsTextTheFunctionAndTheSymbol() {
    server.answer(200, "alphavantage-error.json");

    assertThatThrownBy(() -> events(feed().build()))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "Alpha Vantage rejected TIME_SERIES_INTRADAY for IBM: Invalid API call. Please retry"
                + " or visit the documentation (https://www.alphavantage.co/documentation/) for"
                + " TIME_SERIES_INTRADAY.");
    assertThat(backoffs).isEmpty();
  }

  @Test
  void aThrottleNoteIsRetriedWithExponentialBackoff() {
    server
        .answer(200, "alphavantage-note.json")
        .answer(200, "alphavantage-information.json")
        .answer(200, "alphavantage-intraday-5min.json");

    List<MarketEvent> events = events(feed().interval(BarInterval.FIVE_MINUTES).build());

    assertThat(events).hasSize(3);
    assertThat(backoffs).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void throttledOnEveryAttemptFailsSayingSoAndHowToFixIt() {
    server.answer(200, "alphavantage-information.json");

    assertThatThrownBy(() -> events(feed().build()))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "Alpha Vantage rate-limited TIME_SERIES_INTRADAY for IBM (3 attempts over 0 s):"
                + " Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests"
                + " per day. Please subscribe to any of the premium plans at"
                + " https://www.alphavantage.co/premium/ to instantly remove all daily rate"
                + " limits. Wait a minute (free keys allow a few requests per minute and a small"
                + " daily quota) and run again, or use a premium key"
                + " (https://www.alphavantage.co/premium/).");
    assertThat(backoffs).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void aMissingApiKeyFailsBeforeAnyRequest() {
    assertThatThrownBy(() -> feed().environment(name -> null).build())
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "ALPHAVANTAGE_API_KEY is not set; get a free key at"
                + " https://www.alphavantage.co/support/#api-key and run: export"
                + " ALPHAVANTAGE_API_KEY=<your key>");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void anHttpErrorNamesTheStatusAndTheBodyButNotTheKey() {
    server.answerText(503, "Service Unavailable");

    assertThatThrownBy(() -> events(feed().build()))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "Alpha Vantage TIME_SERIES_INTRADAY for IBM failed: HTTP 503: Service Unavailable");
  }
}

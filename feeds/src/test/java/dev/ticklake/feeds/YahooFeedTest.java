package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class YahooFeedTest {

  private final FixtureServer server = new FixtureServer();
  private final List<FeedProblem> problems = new ArrayList<>();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<MarketEvent> events(YahooFeed feed) {
    List<MarketEvent> events = new ArrayList<>();
    feed.open(problems::add).forEachRemaining(item -> events.add(item.event()));
    return events;
  }

  private static MarketEvent bar(String ts, double o, double h, double l, double c, long v) {
    return MarketEvent.bar(
        "AAPL", Instant.parse(ts), BarInterval.ONE_MINUTE, o, h, l, c, v, "yahoo", null);
  }

  @Test
  void chartBarsAreReadAndEntriesWithNullsAreSkippedAndCounted() {
    server.answer(200, "yahoo-chart-aapl-1m.json");

    List<MarketEvent> events = events(new YahooFeed("AAPL", "1m", "1d", server.baseUrl(), 0));

    // 1704205800 = 2024-01-02T14:30:00Z (09:30 in New York).
    assertThat(events)
        .containsExactly(
            bar(
                "2024-01-02T14:30:00Z",
                187.14999389648438,
                187.2899932861328,
                186.0500030517578,
                186.67999267578125,
                4391580),
            bar(
                "2024-01-02T14:32:00Z",
                186.5,
                186.9199981689453,
                186.42999267578125,
                186.8800048828125,
                1031662),
            bar(
                "2024-01-02T14:34:00Z",
                186.6999969482422,
                186.8000030517578,
                186.39999389648438,
                186.5800018310547,
                748227));
    assertThat(problems)
        .containsExactly(
            FeedProblem.skipped("2024-01-02T14:31:00Z", "Yahoo has null values for this bar"),
            FeedProblem.skipped("2024-01-02T14:33:00Z", "Yahoo has null values for this bar"));
    assertThat(server.requests()).containsExactly("/v8/finance/chart/AAPL?interval=1m&range=1d");
    assertThat(server.userAgents()).containsExactly(Http.USER_AGENT);
  }

  @Test
  void aDailyChartIsStampedAtMidnightUtcOfTheExchangeDate() {
    server.answerText(
        200,
        "{\"chart\":{\"result\":[{\"meta\":{\"exchangeTimezoneName\":\"America/New_York\"},"
            + "\"timestamp\":[1704205800],\"indicators\":{\"quote\":[{\"open\":[187.15],"
            + "\"high\":[188.44],\"low\":[183.89],\"close\":[185.64],\"volume\":[82488700]}]}}],"
            + "\"error\":null}}");

    List<MarketEvent> events = events(new YahooFeed("AAPL", "1d", "5d", server.baseUrl(), 0));

    assertThat(events)
        .containsExactly(
            MarketEvent.bar(
                "AAPL",
                Instant.parse("2024-01-02T00:00:00Z"),
                BarInterval.ONE_DAY,
                187.15,
                188.44,
                183.89,
                185.64,
                82488700,
                "yahoo",
                null));
  }

  @Test
  void notFoundNamesTheSymbolAndYahoosReason() {
    server.answer(404, "yahoo-404.json");

    assertThatThrownBy(() -> events(new YahooFeed("NOPE", "1m", "1d", server.baseUrl(), 0)))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "Yahoo Finance has no data for symbol NOPE: No data found, symbol may be delisted"
                + " (HTTP 404); check the symbol");
  }

  @Test
  void otherHttpErrorsGiveTheStatusAndABodyExcerpt() {
    server.answerText(429, "Too Many Requests\n");

    assertThatThrownBy(() -> events(new YahooFeed("AAPL", "1m", "1d", server.baseUrl(), 0)))
        .isInstanceOf(FeedException.class)
        .hasMessage("Yahoo Finance chart request for AAPL failed: HTTP 429: Too Many Requests");
  }

  @Test
  void anIntervalWithoutATickLakeBarLengthIsRejected() {
    assertThatThrownBy(() -> new YahooFeed("AAPL", "2m", "1d", server.baseUrl(), 0))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "yahoo: interval 2m has no TickLake bar length; use 1m, 5m, 15m, 30m, 60m, 1h or 1d");
  }
}

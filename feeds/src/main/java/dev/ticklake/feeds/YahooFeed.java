package dev.ticklake.feeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Bars from Yahoo Finance's v8 chart endpoint, {@code GET
 * {base}/v8/finance/chart/{symbol}?interval=1m&range=1d}, fetched once per {@link #open}.
 *
 * <p>Reads {@code chart.result[0].timestamp} (epoch seconds, the bar starts) and {@code
 * chart.result[0].indicators.quote[0].{open,high,low,close,volume}}. Entries with any null value
 * (Yahoo's gaps) are skipped and reported as {@link FeedProblem.Severity#SKIPPED}. Intervals map
 * {@code 1m, 5m, 15m, 30m, 60m/1h, 1d} to TickLake's; daily bars are stamped at 00:00Z of their
 * date in the exchange's time zone, like the CSV feed's. Bars are emitted in Yahoo's order (oldest
 * first) with source {@code yahoo} and no event id.
 *
 * <p><b>Errors</b>: a 404 (unknown or delisted symbol) fails with a message naming the symbol and
 * Yahoo's description; any other non-200 status fails with the status and an excerpt of the body.
 * Immutable.
 */
public final class YahooFeed implements Feed {

  public static final String SOURCE = "yahoo";
  public static final String DEFAULT_BASE_URL = "https://query1.finance.yahoo.com";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, BarInterval> INTERVALS =
      Map.of(
          "1m", BarInterval.ONE_MINUTE,
          "5m", BarInterval.FIVE_MINUTES,
          "15m", BarInterval.FIFTEEN_MINUTES,
          "30m", BarInterval.THIRTY_MINUTES,
          "60m", BarInterval.SIXTY_MINUTES,
          "1h", BarInterval.SIXTY_MINUTES,
          "1d", BarInterval.ONE_DAY);

  private final String symbol;
  private final String yahooInterval;
  private final BarInterval interval;
  private final String range;
  private final String baseUrl;
  private final double speed;
  private final Http http;

  /**
   * @param symbol e.g. {@code AAPL}
   * @param yahooInterval Yahoo's spelling: 1m, 5m, 15m, 30m, 60m, 1h, 1d
   * @param range Yahoo's range, e.g. {@code 1d}, {@code 5d}, {@code 1mo}
   * @param baseUrl default {@value #DEFAULT_BASE_URL}
   * @param speed replay speed-up (60 = one minute of history per second); 0 = as fast as possible
   * @throws FeedException for a missing symbol or an interval TickLake has no bar length for
   */
  public YahooFeed(
      String symbol, String yahooInterval, String range, String baseUrl, double speed) {
    if (symbol == null || symbol.isBlank()) {
      throw new FeedException("yahoo: a symbol is required (--symbol AAPL)");
    }
    this.symbol = symbol;
    this.interval = INTERVALS.get(yahooInterval);
    if (interval == null) {
      throw new FeedException(
          "yahoo: interval "
              + yahooInterval
              + " has no TickLake bar length; use 1m, 5m, 15m, 30m, 60m, 1h or 1d");
    }
    this.yahooInterval = yahooInterval;
    this.range = Objects.requireNonNull(range, "range");
    String base = Objects.requireNonNull(baseUrl, "baseUrl");
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.speed = speed;
    this.http = Http.withDefaults();
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Pacing pacing() {
    return Pacing.replay(speed);
  }

  @Override
  public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
    URI uri =
        URI.create(
            baseUrl
                + "/v8/finance/chart/"
                + URLEncoder.encode(symbol, StandardCharsets.UTF_8)
                + "?interval="
                + URLEncoder.encode(yahooInterval, StandardCharsets.UTF_8)
                + "&range="
                + URLEncoder.encode(range, StandardCharsets.UTF_8));
    Http.Response response = http.get(uri, "Yahoo Finance chart request for " + symbol);
    if (response.status() == 404) {
      throw new FeedException(
          "Yahoo Finance has no data for symbol "
              + symbol
              + ": "
              + errorDescription(response)
              + " (HTTP 404); check the symbol");
    }
    if (response.status() != 200) {
      throw new FeedException(
          "Yahoo Finance chart request for "
              + symbol
              + " failed: HTTP "
              + response.status()
              + ": "
              + response.excerpt());
    }
    return parse(response, problems).iterator();
  }

  private static String errorDescription(Http.Response response) {
    try {
      JsonNode error = JSON.readTree(response.body()).path("chart").path("error");
      if (error.hasNonNull("description")) {
        return error.get("description").asText();
      }
    } catch (JsonProcessingException e) {
      // Not Yahoo's JSON error body: show the raw excerpt instead.
    }
    return response.excerpt();
  }

  private List<FeedItem> parse(Http.Response response, Consumer<FeedProblem> problems) {
    JsonNode chart;
    try {
      chart = JSON.readTree(response.body()).path("chart");
    } catch (JsonProcessingException e) {
      throw new FeedException(
          "Yahoo Finance returned a body that is not JSON for "
              + symbol
              + ": "
              + response.excerpt());
    }
    if (chart.hasNonNull("error")) {
      throw new FeedException(
          "Yahoo Finance reported an error for " + symbol + ": " + errorDescription(response));
    }
    JsonNode result = chart.path("result").path(0);
    if (result.isMissingNode()) {
      throw new FeedException(
          "Yahoo Finance returned no chart result for " + symbol + ": " + response.excerpt());
    }
    JsonNode timestamps = result.path("timestamp");
    JsonNode quote = result.path("indicators").path("quote").path(0);
    ZoneId exchangeZone = exchangeZone(result.path("meta"));
    List<FeedItem> items = new ArrayList<>();
    for (int i = 0; i < timestamps.size(); i++) {
      Instant start = Instant.ofEpochSecond(timestamps.get(i).asLong());
      JsonNode open = quote.path("open").path(i);
      JsonNode high = quote.path("high").path(i);
      JsonNode low = quote.path("low").path(i);
      JsonNode close = quote.path("close").path(i);
      JsonNode volume = quote.path("volume").path(i);
      if (!open.isNumber()
          || !high.isNumber()
          || !low.isNumber()
          || !close.isNumber()
          || !volume.isNumber()) {
        problems.accept(
            FeedProblem.skipped(start.toString(), "Yahoo has null values for this bar"));
        continue;
      }
      Instant ts =
          interval == BarInterval.ONE_DAY
              ? start.atZone(exchangeZone).toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC)
              : start;
      items.add(
          FeedItem.of(
              MarketEvent.bar(
                  symbol,
                  ts,
                  interval,
                  open.asDouble(),
                  high.asDouble(),
                  low.asDouble(),
                  close.asDouble(),
                  volume.asLong(),
                  SOURCE,
                  null)));
    }
    return items;
  }

  private static ZoneId exchangeZone(JsonNode meta) {
    try {
      return ZoneId.of(meta.path("exchangeTimezoneName").asText("America/New_York"));
    } catch (DateTimeException e) {
      return ZoneId.of("America/New_York");
    }
  }
}

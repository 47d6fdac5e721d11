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
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Bars from the Alpha Vantage API: {@code TIME_SERIES_INTRADAY} (1min, 5min, 15min, 30min, 60min)
 * or {@code TIME_SERIES_DAILY}, for one symbol, fetched once per {@link #open}.
 *
 * <p>The API key comes from {@link Builder#apiKey}, else the environment variable {@value
 * #API_KEY_ENV}; it never appears in messages. Intraday times are converted from the series' time
 * zone ({@code "6. Time Zone"} in {@code "Meta Data"}, e.g. {@code US/Eastern}) to UTC; daily bars
 * are stamped at 00:00Z of their date, like the CSV feed's. Bars are emitted oldest first with
 * source {@code alphavantage} and no event id (Silver derives a stable one).
 *
 * <p><b>Errors</b> come back with HTTP 200: {@code {"Error Message": ...}} fails at once, naming
 * the function and symbol; {@code {"Note": ...}} and {@code {"Information": ...}} mean throttled:
 * retried with exponential backoff (default 4 attempts, 20 s then 40 s, 80 s), then failed with a
 * message that says how to fix it. Immutable; thread-safe apart from {@link #open}'s iterator.
 */
public final class AlphaVantageFeed implements Feed {

  public static final String SOURCE = "alphavantage";
  public static final String API_KEY_ENV = "ALPHAVANTAGE_API_KEY";
  public static final String DEFAULT_BASE_URL = "https://www.alphavantage.co";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

  /** Which time series to request. */
  public enum Series {
    INTRADAY("TIME_SERIES_INTRADAY"),
    DAILY("TIME_SERIES_DAILY");

    private final String function;

    Series(String function) {
      this.function = function;
    }

    /** The API's {@code function} parameter. */
    public String function() {
      return function;
    }
  }

  /** Waits between throttled attempts; replaced in tests so that they do not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final String symbol;
  private final Series series;
  private final BarInterval interval;
  private final String outputSize;
  private final String baseUrl;
  private final String apiKey;
  private final int attempts;
  private final Duration firstBackoff;
  private final double speed;
  private final Sleeper sleeper;
  private final Http http;

  private AlphaVantageFeed(Builder b) {
    if (b.symbol == null || b.symbol.isBlank()) {
      throw new FeedException("alphavantage: a symbol is required (--symbol IBM)");
    }
    this.symbol = b.symbol;
    this.series = b.series;
    this.interval = b.series == Series.DAILY ? BarInterval.ONE_DAY : b.interval;
    if (interval == BarInterval.ONE_DAY && series == Series.INTRADAY) {
      throw new FeedException(
          "alphavantage: intraday intervals are 1min, 5min, 15min, 30min, 60min; for 1d use daily");
    }
    this.outputSize = b.outputSize;
    this.baseUrl =
        b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
    String key = b.apiKey != null ? b.apiKey : b.env.apply(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new FeedException(
          API_KEY_ENV
              + " is not set; get a free key at https://www.alphavantage.co/support/#api-key"
              + " and run: export "
              + API_KEY_ENV
              + "=<your key>");
    }
    this.apiKey = key;
    this.attempts = b.attempts;
    this.firstBackoff = b.firstBackoff;
    this.speed = b.speed;
    this.sleeper = b.sleeper;
    this.http = Http.withDefaults();
  }

  /** Defaults: intraday 1min, outputsize compact, the public base URL, 4 attempts from 20 s. */
  public static Builder builder() {
    return new Builder();
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
    return parse(fetch(), problems).iterator();
  }

  private String what() {
    return series.function() + " for " + symbol;
  }

  private URI uri() {
    StringBuilder q = new StringBuilder(baseUrl).append("/query?function=").append(series.function);
    q.append("&symbol=").append(URLEncoder.encode(symbol, StandardCharsets.UTF_8));
    if (series == Series.INTRADAY) {
      q.append("&interval=").append(interval.label());
    }
    q.append("&outputsize=").append(outputSize).append("&datatype=json");
    q.append("&apikey=").append(URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
    return URI.create(q.toString());
  }

  /** GETs the series, retrying while throttled; returns the parsed body. */
  private JsonNode fetch() {
    Duration backoff = firstBackoff;
    Duration waited = Duration.ZERO;
    String throttle = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Http.Response response = http.get(uri(), "Alpha Vantage " + what());
      if (response.status() != 200) {
        throw new FeedException(
            "Alpha Vantage "
                + what()
                + " failed: HTTP "
                + response.status()
                + ": "
                + response.excerpt());
      }
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (JsonProcessingException e) {
        throw new FeedException(
            "Alpha Vantage " + what() + " returned a body that is not JSON: " + response.excerpt());
      }
      if (body.hasNonNull("Error Message")) {
        throw new FeedException(
            "Alpha Vantage rejected " + what() + ": " + body.get("Error Message").asText());
      }
      JsonNode note = body.hasNonNull("Note") ? body.get("Note") : body.get("Information");
      if (note == null || note.isNull()) {
        return body;
      }
      throttle = note.asText();
      if (attempt < attempts) {
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FeedException("Alpha Vantage " + what() + ": interrupted while backing off");
        }
        waited = waited.plus(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
    throw new FeedException(
        "Alpha Vantage rate-limited "
            + what()
            + " ("
            + attempts
            + " attempts over "
            + waited.toSeconds()
            + " s): "
            + throttle
            + " Wait a minute (free keys allow a few requests per minute and a small daily quota)"
            + " and run again, or use a premium key (https://www.alphavantage.co/premium/).");
  }

  List<FeedItem> parse(JsonNode body, Consumer<FeedProblem> problems) {
    JsonNode meta = body.get("Meta Data");
    Map.Entry<String, JsonNode> timeSeries = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().startsWith("Time Series")) {
        timeSeries = field;
      }
    }
    if (meta == null || timeSeries == null) {
      throw new FeedException(
          "Alpha Vantage "
              + what()
              + " returned no \"Meta Data\" or \"Time Series\": "
              + new Http.Response(200, body.toString()).excerpt());
    }
    ZoneId zone = zone(meta);
    List<FeedItem> items = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = timeSeries.getValue().fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String time = entry.getKey();
      JsonNode v = entry.getValue();
      try {
        var ts =
            series == Series.DAILY
                ? LocalDate.parse(time).atStartOfDay().toInstant(ZoneOffset.UTC)
                : LocalDateTime.parse(time, LOCAL).atZone(zone).toInstant();
        items.add(
            FeedItem.of(
                MarketEvent.bar(
                    symbol,
                    ts,
                    interval,
                    number(v, "1. open"),
                    number(v, "2. high"),
                    number(v, "3. low"),
                    number(v, "4. close"),
                    (long) number(v, "5. volume"),
                    SOURCE,
                    null)));
      } catch (DateTimeException | IllegalArgumentException e) {
        problems.accept(FeedProblem.error(time, e.getMessage()));
      }
    }
    items.sort(Comparator.comparing(item -> item.event().ts()));
    return items;
  }

  private ZoneId zone(JsonNode meta) {
    for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().endsWith("Time Zone")) {
        try {
          return ZoneId.of(field.getValue().asText());
        } catch (DateTimeException e) {
          throw new FeedException(
              "Alpha Vantage " + what() + ": unknown time zone " + field.getValue());
        }
      }
    }
    throw new FeedException("Alpha Vantage " + what() + ": \"Meta Data\" has no time zone");
  }

  private static double number(JsonNode values, String field) {
    JsonNode node = values.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("missing \"" + field + "\"");
    }
    try {
      return Double.parseDouble(node.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + field + "\" is not a number: " + node);
    }
  }

  /** Builds {@link AlphaVantageFeed}s; not thread-safe. */
  public static final class Builder {
    private String symbol;
    private Series series = Series.INTRADAY;
    private BarInterval interval = BarInterval.ONE_MINUTE;
    private String outputSize = "compact";
    private String baseUrl = DEFAULT_BASE_URL;
    private String apiKey;
    private UnaryOperator<String> env = System::getenv;
    private int attempts = 4;
    private Duration firstBackoff = Duration.ofSeconds(20);
    private double speed;
    private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());

    private Builder() {}

    public Builder symbol(String newSymbol) {
      this.symbol = newSymbol;
      return this;
    }

    public Builder series(Series newSeries) {
      this.series = Objects.requireNonNull(newSeries);
      return this;
    }

    /** Intraday interval (1min, 5min, 15min, 30min, 60min); ignored for daily. */
    public Builder interval(BarInterval newInterval) {
      this.interval = Objects.requireNonNull(newInterval);
      return this;
    }

    /** {@code compact} (latest 100 bars, the default) or {@code full}. */
    public Builder outputSize(String size) {
      if (!size.equals("compact") && !size.equals("full")) {
        throw new FeedException("alphavantage: outputsize must be compact or full, got " + size);
      }
      this.outputSize = size;
      return this;
    }

    public Builder baseUrl(String url) {
      this.baseUrl = Objects.requireNonNull(url);
      return this;
    }

    /** The key; default: the environment variable {@value #API_KEY_ENV}. */
    public Builder apiKey(String key) {
      this.apiKey = key;
      return this;
    }

    /** Where the key is looked up when not given (tests pass a map's {@code get}). */
    Builder environment(UnaryOperator<String> lookup) {
      this.env = Objects.requireNonNull(lookup);
      return this;
    }

    /** Attempts while throttled (at least 1) and the first backoff, doubled after each. */
    public Builder throttleRetries(int maxAttempts, Duration initialBackoff) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1, got " + maxAttempts);
      }
      this.attempts = maxAttempts;
      this.firstBackoff = Objects.requireNonNull(initialBackoff);
      return this;
    }

    /** Replay speed-up (60 = one minute of history per second); 0 = as fast as possible. */
    public Builder speed(double speedUp) {
      this.speed = speedUp;
      return this;
    }

    Builder sleeper(Sleeper newSleeper) {
      this.sleeper = Objects.requireNonNull(newSleeper);
      return this;
    }

    /**
     * @throws FeedException if the symbol or the API key is missing
     */
    public AlphaVantageFeed build() {
      return new AlphaVantageFeed(this);
    }
  }
}

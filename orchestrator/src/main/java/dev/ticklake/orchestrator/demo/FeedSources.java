package dev.ticklake.orchestrator.demo;

import dev.ticklake.feeds.AlphaVantageFeed;
import dev.ticklake.feeds.CsvFeed;
import dev.ticklake.feeds.Feed;
import dev.ticklake.feeds.FeedException;
import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.SyntheticHistory;
import dev.ticklake.feeds.YahooFeed;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.schemas.event.BarInterval;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sourceforge.argparse4j.inf.Namespace;

/** Turns the parsed options of {@link FeedCommand} into Kafka settings and a {@link Feed}. */
public final class FeedSources {

  public static final String SOURCE = "source";

  /** The default last day of {@code feed history}: fixed, so that two runs give the same bars. */
  public static final LocalDate HISTORY_END = LocalDate.of(2025, 12, 31);

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private FeedSources() {}

  /** Everything one {@code ticklake feed} run needs. */
  public record Run(KafkaSettings settings, Feed feed, long maxRecords, Duration maxDuration) {

    /**
     * Publishes until the feed ends, a limit is reached or the JVM is asked to stop (Ctrl-C), in
     * which case the records sent so far are flushed before the JVM exits.
     */
    public FeedSummary execute(PrintStream out, PrintStream err) {
      FeedPublisher publisher = new FeedPublisher(settings, out, err);
      Thread hook = new Thread(publisher::stop, "ticklake-feed-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return publisher.run(feed, maxRecords, maxDuration);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running (Ctrl-C): it waits for this run to finish, nothing to undo.
        }
      }
    }
  }

  public static Run prepare(Namespace ns, PrintStream out) {
    KafkaSettings settings =
        KafkaSettings.of(ns.getString("bootstrap_servers"))
            .withTopic(ns.getString("topic"))
            .withPartitions(ns.getInt("partitions"))
            .withClientProperties(
                keyValues(ns.getList("producer_property"), "--producer-property"));
    Duration duration =
        ns.getString("duration") == null ? null : duration(ns.getString("duration"), "--duration");
    long count = ns.getLong("count");
    Feed feed =
        switch (ns.getString(SOURCE)) {
          case "synthetic" -> synthetic(ns, out);
          case "csv" -> csv(ns);
          case "history" -> history(ns);
          case "alphavantage" -> alphaVantage(ns);
          case "yahoo" ->
              new YahooFeed(
                  ns.getString("symbol"),
                  ns.getString("interval"),
                  ns.getString("range"),
                  ns.getString("base_url"),
                  ns.getDouble("speed"));
          default -> throw new FeedException("unknown source " + ns.getString(SOURCE));
        };
    return new Run(settings, feed, count, duration);
  }

  private static SyntheticFeed synthetic(Namespace ns, PrintStream out) {
    Long seed = ns.getLong("seed");
    if (seed == null) {
      seed = ThreadLocalRandom.current().nextLong(1_000_000);
      out.println("synthetic: seed " + seed + " (pass --seed " + seed + " to repeat this run)");
    }
    SyntheticFeed.Builder builder =
        SyntheticFeed.builder()
            .symbols(Arrays.stream(ns.getString("symbols").split(",")).map(String::trim).toList())
            .rate(ns.getDouble("rate"))
            .seed(seed)
            .drift(ns.getDouble("drift"))
            .volatility(ns.getDouble("volatility"))
            .faults(
                new SyntheticFeed.Faults(
                    ns.getDouble("duplicates"),
                    ns.getDouble("out_of_order"),
                    ns.getDouble("malformed"),
                    ns.getDouble("invalid_prices")));
    keyValues(ns.getList("start_price"), "--start-price")
        .forEach((symbol, price) -> builder.startPrice(symbol, number(price, "--start-price")));
    if (ns.getString("start") != null) {
      try {
        builder.start(Instant.parse(ns.getString("start")));
      } catch (DateTimeParseException e) {
        throw new FeedException(
            "--start must be an ISO-8601 instant like 2024-01-02T14:30:00Z, got "
                + ns.getString("start"));
      }
    }
    return builder.build();
  }

  private static CsvFeed csv(Namespace ns) {
    ZoneId zone;
    try {
      zone = ZoneId.of(ns.getString("timezone"));
    } catch (DateTimeException e) {
      throw new FeedException("--timezone: unknown time zone " + ns.getString("timezone"));
    }
    String interval = ns.getString("interval");
    return new CsvFeed(
        Path.of(ns.getString("file")),
        ns.getString("symbol"),
        zone,
        interval == null ? null : BarInterval.fromString(interval),
        ns.getDouble("speed"));
  }

  private static SyntheticHistory history(Namespace ns) {
    LocalDate end;
    try {
      end = LocalDate.parse(ns.getString("end"));
    } catch (DateTimeParseException e) {
      throw new FeedException("--end must be a date like 2025-12-31, got " + ns.getString("end"));
    }
    BarInterval interval = BarInterval.fromString(ns.getString("interval"));
    int span = interval == BarInterval.ONE_DAY ? ns.getInt("years") : ns.getInt("months");
    if (span < 1) {
      throw new FeedException("--years and --months must be at least 1, got " + span);
    }
    LocalDate from =
        (interval == BarInterval.ONE_DAY ? end.minusYears(span) : end.minusMonths(span))
            .plusDays(1);
    return new SyntheticHistory(
        historySymbols(ns.getString("symbols")),
        from,
        end,
        interval,
        ns.getLong("seed"),
        ns.getDouble("start_price"),
        ns.getDouble("drift"),
        ns.getDouble("volatility"),
        ns.getDouble("speed"));
  }

  /** {@code 500} → S0001..S0500; anything else is a comma-separated list. */
  static List<String> historySymbols(String text) {
    String trimmed = text.trim();
    if (trimmed.matches("\\d+")) {
      return SyntheticHistory.numberedSymbols(Integer.parseInt(trimmed));
    }
    return Arrays.stream(trimmed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static AlphaVantageFeed alphaVantage(Namespace ns) {
    return AlphaVantageFeed.builder()
        .symbol(ns.getString("symbol"))
        .series(
            ns.getString("function").equals("daily")
                ? AlphaVantageFeed.Series.DAILY
                : AlphaVantageFeed.Series.INTRADAY)
        .interval(BarInterval.fromString(ns.getString("interval")))
        .outputSize(ns.getString("outputsize"))
        .baseUrl(ns.getString("base_url"))
        .throttleRetries(ns.getInt("max_attempts"), duration(ns.getString("backoff"), "--backoff"))
        .speed(ns.getDouble("speed"))
        .build();
  }

  /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms} or ISO-8601 ({@code PT30S}). */
  static Duration duration(String text, String option) {
    Matcher m = SIMPLE_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new FeedException(option + " must look like 30s, 5m, 1h or PT30S, got " + text);
    }
  }

  static Map<String, String> keyValues(List<Object> pairs, String option) {
    Map<String, String> map = new LinkedHashMap<>();
    if (pairs == null) {
      return map;
    }
    for (Object pair : pairs) {
      String text = String.valueOf(pair);
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new FeedException(option + " must be KEY=VALUE, got " + text);
      }
      map.put(text.substring(0, eq).trim(), text.substring(eq + 1));
    }
    return map;
  }

  private static double number(String text, String option) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new FeedException(option + ": not a number: " + text);
    }
  }
}

package dev.ticklake.orchestrator.cli;

import dev.ticklake.feeds.AlphaVantageFeed;
import dev.ticklake.feeds.CsvFeed;
import dev.ticklake.feeds.FeedException;
import dev.ticklake.feeds.YahooFeed;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.demo.FeedSources;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.apache.kafka.common.KafkaException;

/**
 * {@code ticklake feed <source> [options]}: publishes market events to Kafka from one source
 * ({@code synthetic}, {@code csv}, {@code history}, {@code alphavantage}, {@code yahoo}), creating
 * the topic when it is missing. Prints progress every 2 s and a summary line; Ctrl-C stops cleanly
 * (flushes what was sent). Exits non-zero with a one-line message on user errors (bad option,
 * unreachable broker, HTTP error, missing API key) and when any record failed or any input line was
 * bad.
 *
 * <pre>
 * ticklake feed synthetic --rate 500 --duration 60s
 * ticklake feed csv --file AAPL.csv --symbol AAPL --speed 3600
 * ticklake feed history --symbols 500 --years 20
 * ticklake feed history --symbols 50 --interval 1min --months 3
 * ALPHAVANTAGE_API_KEY=... ticklake feed alphavantage --symbol IBM --interval 5min
 * ticklake feed yahoo --symbol MSFT --interval 1m --range 1d
 * </pre>
 */
public final class FeedCommand extends Command {

  static final String NAME = "feed";
  private static final String ERROR_PREFIX = "ticklake feed: ";

  private final PrintStream out;
  private final PrintStream err;

  /** Prints to {@link System#out} and {@link System#err}. */
  public FeedCommand() {
    this(System.out, System.err);
  }

  FeedCommand(PrintStream out, PrintStream err) {
    super(NAME, "Publishes market events to Kafka: synthetic, csv, history, alphavantage or yahoo");
    this.out = out;
    this.err = err;
  }

  @Override
  public void configure(Subparser subparser) {
    Subparsers sources =
        subparser.addSubparsers().dest(FeedSources.SOURCE).title("sources").metavar("<source>");
    addSynthetic(sources);
    addCsv(sources);
    addHistory(sources);
    addAlphaVantage(sources);
    addYahoo(sources);
  }

  private static void addSynthetic(Subparsers sources) {
    Subparser synthetic =
        sources.addParser("synthetic").help("random-walk (GBM) trades, optionally with faults");
    addKafkaOptions(synthetic);
    synthetic
        .addArgument("--symbols")
        .setDefault("AAPL,GOOGL,MSFT,AMZN,TSLA")
        .help("comma-separated symbols");
    synthetic
        .addArgument("--start-price")
        .action(Arguments.append())
        .metavar("SYMBOL=PRICE")
        .help(
            "start price of a symbol (repeatable); defaults: AAPL 190, GOOGL 175, MSFT 410,"
                + " AMZN 185, TSLA 250, others 100");
    synthetic
        .addArgument("--rate")
        .type(Double.class)
        .setDefault(100.0)
        .help("events per second; 0 = as fast as possible");
    synthetic
        .addArgument("--seed")
        .type(Long.class)
        .help("random seed; the same seed and --start give the same events (default: random)");
    synthetic.addArgument("--start").help("timestamp of the first event, ISO-8601 (default: now)");
    synthetic.addArgument("--drift").type(Double.class).setDefault(0.05).help("annual drift");
    synthetic
        .addArgument("--volatility")
        .type(Double.class)
        .setDefault(0.25)
        .help("annual volatility");
    addRatio(synthetic, "--duplicates", "ratio of exact duplicate records");
    addRatio(synthetic, "--out-of-order", "ratio of events sent late");
    addRatio(synthetic, "--malformed", "ratio of malformed records");
    addRatio(synthetic, "--invalid-prices", "ratio of events with price <= 0");
  }

  /** A fault ratio of the synthetic source, 0 to 1, default 0. */
  private static void addRatio(Subparser parser, String option, String help) {
    parser.addArgument(option).type(Double.class).setDefault(0.0).help(help);
  }

  private static void addCsv(Subparsers sources) {
    Subparser csv =
        sources.addParser("csv").help("replay OHLCV history from a Yahoo-style CSV file");
    addKafkaOptions(csv);
    csv.addArgument("--file").required(true).help("Date,Open,High,Low,Close,Adj Close,Volume");
    csv.addArgument("--symbol").required(true).help("the symbol of every row");
    csv.addArgument("--timezone")
        .setDefault(CsvFeed.DEFAULT_ZONE.getId())
        .help("zone of local date-times");
    csv.addArgument("--interval")
        .choices("1min", "5min", "15min", "30min", "60min", "1d")
        .help("bar interval (default: inferred from the smallest gap between rows)");
    addSpeed(csv);
  }

  private static void addHistory(Subparsers sources) {
    Subparser history =
        sources
            .addParser("history")
            .help("synthetic history: daily bars over years or 1-minute bars over months");
    addKafkaOptions(history);
    history
        .addArgument("--symbols")
        .setDefault("1")
        .help("a count (500: symbols S0001..S0500) or comma-separated symbols");
    history.addArgument("--interval").choices("1d", "1min").setDefault("1d");
    history
        .addArgument("--years")
        .type(Integer.class)
        .setDefault(20)
        .help("span of daily bars, ending on --end");
    history
        .addArgument("--months")
        .type(Integer.class)
        .setDefault(3)
        .help("span of 1-minute bars, ending on --end");
    history
        .addArgument("--end")
        .setDefault(FeedSources.HISTORY_END.toString())
        .help("last day, ISO-8601 (a fixed default, so that runs repeat)");
    history.addArgument("--seed").type(Long.class).setDefault(1L).help("random seed");
    history.addArgument("--start-price").type(Double.class).setDefault(100.0);
    history.addArgument("--drift").type(Double.class).setDefault(0.05).help("annual drift");
    history
        .addArgument("--volatility")
        .type(Double.class)
        .setDefault(0.25)
        .help("annual volatility");
    addSpeed(history);
  }

  private static void addAlphaVantage(Subparsers sources) {
    Subparser alpha =
        sources
            .addParser("alphavantage")
            .help("bars from Alpha Vantage (needs ALPHAVANTAGE_API_KEY)");
    addKafkaOptions(alpha);
    alpha.addArgument("--symbol").required(true);
    alpha
        .addArgument("--function")
        .choices("intraday", "daily")
        .setDefault("intraday")
        .help("TIME_SERIES_INTRADAY or TIME_SERIES_DAILY");
    alpha
        .addArgument("--interval")
        .choices("1min", "5min", "15min", "30min", "60min")
        .setDefault("1min")
        .help("intraday interval");
    alpha.addArgument("--outputsize").choices("compact", "full").setDefault("compact");
    alpha.addArgument("--base-url").setDefault(AlphaVantageFeed.DEFAULT_BASE_URL);
    alpha
        .addArgument("--max-attempts")
        .type(Integer.class)
        .setDefault(4)
        .help("attempts while rate-limited");
    alpha
        .addArgument("--backoff")
        .setDefault("20s")
        .help("first wait when rate-limited, doubled after each attempt");
    addSpeed(alpha);
  }

  private static void addYahoo(Subparsers sources) {
    Subparser yahoo = sources.addParser("yahoo").help("bars from the Yahoo Finance chart API");
    addKafkaOptions(yahoo);
    yahoo.addArgument("--symbol").required(true);
    yahoo.addArgument("--interval").setDefault("1m").help("1m, 5m, 15m, 30m, 60m, 1h or 1d");
    yahoo.addArgument("--range").setDefault("1d").help("e.g. 1d, 5d, 1mo");
    yahoo.addArgument("--base-url").setDefault(YahooFeed.DEFAULT_BASE_URL);
    addSpeed(yahoo);
  }

  private static void addKafkaOptions(Subparser parser) {
    parser.addArgument("--bootstrap-servers").setDefault(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS);
    parser.addArgument("--topic").setDefault(KafkaSettings.DEFAULT_TOPIC);
    parser
        .addArgument("--partitions")
        .type(Integer.class)
        .setDefault(KafkaSettings.DEFAULT_PARTITIONS)
        .help("partitions when the topic is created");
    parser
        .addArgument("--producer-property")
        .action(Arguments.append())
        .metavar("KEY=VALUE")
        .help("Kafka client property (repeatable), e.g. security.protocol=SASL_SSL");
    parser
        .addArgument("--count")
        .type(Long.class)
        .setDefault(0L)
        .help("stop after this many records (0 = when the source ends)");
    parser.addArgument("--duration").help("stop after this long, e.g. 30s, 5m, 1h");
  }

  private static void addSpeed(Subparser parser) {
    parser
        .addArgument("--speed")
        .type(Double.class)
        .setDefault(0.0)
        .help("replay speed-up: 60 = one minute of history per second; 0 = as fast as possible");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) {
    FeedSources.Run run = FeedSources.prepare(namespace, out);
    Topics.TopicStatus topic = Topics.ensureTopic(run.settings());
    out.println(topic.message());
    var summary = run.execute(out, err);
    out.println(summary.line());
    if (summary.errors() > 0) {
      throw new FeedException(
          summary.errors() + " errors while feeding " + summary.source() + " (see above)");
    }
  }

  /** User errors get one line; anything unexpected keeps its stack trace. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof FeedException
        || e instanceof Topics.KafkaUnavailableException
        || e instanceof IllegalArgumentException
        || e instanceof KafkaException) {
      cli.getStdErr().println(ERROR_PREFIX + e.getMessage());
      cli.getStdErr().flush();
    } else {
      super.onError(cli, namespace, e);
    }
  }
}

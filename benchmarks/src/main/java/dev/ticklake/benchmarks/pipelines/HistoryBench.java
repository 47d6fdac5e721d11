package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.log;
import static dev.ticklake.benchmarks.pipelines.Suites.seconds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.feeds.Feed;
import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.SyntheticHistory;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.gold.GoldBatch;
import dev.ticklake.transforms.util.Directories;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The {@code history} suite (issue 14): synthetic history from {@link SyntheticHistory} (daily bars
 * of many symbols over years, of one symbol, and 1-minute bars over months) published to an
 * embedded Kafka topic with the feed's {@link FeedPublisher}, then Bronze → Silver → Gold by the
 * real jobs in a child JVM ({@link HistoryWorker}); and Gold alone on one live day of synthetic
 * trades, in this warm JVM and as its own process. Every case is verified against {@link
 * HistoryExpectations}; peak RSS is the worker process's (the broker and the feed run here).
 */
final class HistoryBench {
  static final LocalDate END = LocalDate.of(2025, 12, 31);
  static final int PARTITIONS = 2;
  private static final long WORKER_TIMEOUT_MINUTES = 30;

  private final PrintStream out;
  private final Benchmark.Options options;
  private final Path workDir;
  private final EmbeddedKafka kafka;
  private final List<HistoryReport.Run> runs = new ArrayList<>();

  private HistoryBench(
      PrintStream out, Benchmark.Options options, Path workDir, EmbeddedKafka kafka) {
    this.out = out;
    this.options = options;
    this.workDir = workDir;
    this.kafka = kafka;
  }

  /** Runs the cases of {@code --historyCases}; returns the suite's JSON section and table. */
  static HistoryReport.Output run(PrintStream out, Benchmark.Options options, Path workDir) {
    SuiteEnvironment env = SuiteEnvironment.start();
    List<String> cases = List.of(options.getHistoryCases().split(","));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      HistoryBench bench = new HistoryBench(out, options, workDir, kafka);
      int years = options.getHistoryYears();
      if (cases.contains("daily")) {
        bench.historyCase("daily", options.getHistorySymbols(), BarInterval.ONE_DAY, years);
      }
      if (cases.contains("single")) {
        bench.historyCase("single", 1, BarInterval.ONE_DAY, years);
      }
      if (cases.contains("minute")) {
        bench.historyCase(
            "minute",
            options.getHistoryMinuteSymbols(),
            BarInterval.ONE_MINUTE,
            options.getHistoryMonths());
      }
      if (cases.contains("live")) {
        bench.liveDay();
      }
      env.end();
      return HistoryReport.of(options, bench.runs, env);
    }
  }

  /** One replay: publish the history, then one worker process runs Bronze, Silver and Gold. */
  private void historyCase(String name, int symbols, BarInterval interval, int span) {
    boolean daily = interval == BarInterval.ONE_DAY;
    LocalDate from = daily ? END.minusYears(span).plusDays(1) : END.minusMonths(span).plusDays(1);
    SyntheticHistory feed =
        new SyntheticHistory(
            SyntheticHistory.numberedSymbols(symbols), from, END, interval, 42, 100, 0.05, 0.25, 0);
    int days = SyntheticHistory.tradingDays(from, END).size();
    HistoryExpectations want =
        daily
            ? HistoryExpectations.dailyBars(symbols, days)
            : HistoryExpectations.minuteBars(symbols, days);
    long events = feed.size();
    log(
        out,
        "[history %s] %d symbols x %d days of %s bars: %,d events",
        name,
        symbols,
        days,
        interval.label(),
        events);
    double produce = publish("history." + name, feed, events);
    String lake = workDir.resolve(name).toString();
    Worker w = worker("pass", lake, "history." + name, events);
    verify(name, lake, events, want);
    HistoryReport.Run r =
        HistoryReport.Run.of(
            name,
            symbols,
            days,
            interval.label(),
            events,
            produce,
            w.json(),
            w.seconds(),
            tables(lake));
    log(out, "[history %s] %s", name, r.line());
    runs.add(r);
    Directories.deleteRecursively(Path.of(lake));
  }

  /** Gold on one day of live trades: as its own process, then in this (warm) JVM. */
  private void liveDay() {
    long events = options.getHistoryLiveEvents();
    int symbols = options.getHistoryLiveSymbols();
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .symbols(SyntheticHistory.numberedSymbols(symbols))
            .seed(42)
            .count(events)
            .start(IngestBench.START)
            .build();
    HistoryExpectations want = HistoryExpectations.liveDay(events, symbols);
    log(
        out,
        "[history live] %,d trades of %d symbols; untimed Bronze and Silver ...",
        events,
        symbols);
    publish("history.live", feed, events);
    String silverLake = workDir.resolve("live-silver").toString();
    worker("silver", silverLake, "history.live", events);

    String own = copyLake(silverLake, "live-own");
    Worker w = worker("gold", own, "", 0);
    verify("live own process", own, events, want);
    runs.add(
        HistoryReport.Run.of(
            "live-process", symbols, 1, "trades", events, 0, w.json(), w.seconds(), tables(own)));
    log(
        out,
        "[history live] Gold as its own process %.2f s (in it: %.2f s), peak RSS %d MiB",
        w.seconds(),
        w.json().path("gold").path("seconds").asDouble(),
        w.json().path("peakRssBytes").asLong() >> 20);
    Directories.deleteRecursively(Path.of(own));
    warmGold(silverLake, events, symbols, want);
    Directories.deleteRecursively(Path.of(silverLake));
  }

  /** A warm-up Gold run, then {@code --repeats} timed ones, each on a fresh copy of Silver. */
  private void warmGold(String silverLake, long events, int symbols, HistoryExpectations want) {
    List<Double> seconds = new ArrayList<>();
    SuiteEnvironment env = null;
    Map<String, long[]> tables = Map.of();
    for (int round = 0; round <= options.getRepeats(); round++) {
      if (round == 1) {
        env = SuiteEnvironment.start();
      }
      String lake = copyLake(silverLake, "live-warm-" + round);
      BuildGoldJob.Options g = PipelineOptionsFactory.as(BuildGoldJob.Options.class);
      g.setLakeRoot(lake);
      g.setRunId("bench-history");
      Suites.configure(g, options.getHistoryRunner(), options.getWorkers());
      long t0 = System.nanoTime();
      BuildGoldJob.run(g);
      double s = seconds(t0);
      verify("live warm round " + round, lake, events, want);
      log(
          out,
          "[history live] warm JVM Gold %s %.2f s",
          round == 0 ? "warm-up" : "round " + round,
          s);
      if (round > 0) {
        seconds.add(s);
      }
      tables = tables(lake);
      Directories.deleteRecursively(Path.of(lake));
    }
    env.end();
    runs.add(HistoryReport.Run.warm(symbols, events, seconds, env, tables));
  }

  private String copyLake(String from, String name) {
    Path to = workDir.resolve(name);
    Suites.copyRecursively(Path.of(from), to);
    return to.toString();
  }

  /** Publishes the feed to a new topic as fast as it goes; returns the seconds. */
  private double publish(String topic, Feed feed, long events) {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers()).withTopic(topic).withPartitions(PARTITIONS);
    Topics.ensureTopic(settings);
    long t0 = System.nanoTime();
    FeedSummary summary =
        new FeedPublisher(
                new KafkaProducer<>(settings.producerProperties()),
                topic,
                out,
                System.err,
                Duration.ofSeconds(30))
            .run(feed, 0, null);
    double s = seconds(t0);
    if (summary.sent() != events || summary.errors() != 0) {
      throw new IllegalStateException("Publishing " + topic + " went wrong: " + summary);
    }
    log(out, "[history] published %,d events to %s in %.2f s", events, topic, s);
    return s;
  }

  /** The result line and wall seconds (start to exit) of one worker process. */
  record Worker(JsonNode json, double seconds) {}

  private Worker worker(String mode, String lake, String topic, long maxRecords) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = options.getHistoryJavaOpts().trim();
    if (!opts.isEmpty()) {
      cmd.addAll(List.of(opts.split("\\s+")));
    }
    cmd.add("-Dticklake.bench.logLevel=" + System.getProperty("ticklake.bench.logLevel", "warn"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HistoryWorker.class.getName());
    cmd.addAll(
        List.of(
            mode,
            lake,
            options.getHistoryRunner(),
            Integer.toString(options.getWorkers()),
            kafka.bootstrapServers(),
            topic,
            // the cap is shared between partitions in equal parts, so it allows all of either
            Long.toString(maxRecords * PARTITIONS)));
    Path logFile = workDir.resolve("worker-" + Path.of(lake).getFileName() + ".log");
    try {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      if (!p.waitFor(WORKER_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("The history worker timed out; its log: " + logFile);
      }
      double s = seconds(t0);
      for (String line : Files.readAllLines(logFile)) {
        if (line.startsWith(HistoryWorker.PREFIX)) {
          return new Worker(
              new ObjectMapper().readTree(line.substring(HistoryWorker.PREFIX.length())), s);
        }
      }
      throw new IllegalStateException(
          "The history worker ("
              + mode
              + ") failed, exit "
              + p.exitValue()
              + "; its log: "
              + logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for the history worker", e);
    }
  }

  /** Rows and data files of each table of the lake: {@code {rows, files}} by table id. */
  static Map<String, long[]> tables(String lake) {
    Map<String, long[]> m = new LinkedHashMap<>();
    List<TableDef> defs =
        new ArrayList<>(
            List.of(
                TableCatalog.BRONZE_TICKS,
                TableCatalog.SILVER_TICKS,
                TableCatalog.SILVER_QUARANTINE));
    defs.addAll(GoldBatch.TABLES);
    for (TableDef t : defs) {
      DeltaTable table = DeltaTable.at(t.location(lake));
      long rows = 0;
      List<AddFile> files = table.exists() ? table.filesAt(-1) : List.of();
      for (AddFile f : files) {
        rows += RunnerBench.numRecords(f);
      }
      m.put(t.id(), new long[] {rows, files.size()});
    }
    return m;
  }

  /** Throws unless Bronze, Silver and every predicted Gold table hold the expected rows. */
  private static void verify(String what, String lake, long events, HistoryExpectations want) {
    Map<String, long[]> got = tables(lake);
    List<String> wrong = new ArrayList<>();
    if (Files.exists(Path.of(TableCatalog.BRONZE_TICKS.location(lake)))
        && got.get(TableCatalog.BRONZE_TICKS.id())[0] != events) {
      wrong.add("bronze/ticks " + got.get(TableCatalog.BRONZE_TICKS.id())[0] + " != " + events);
    }
    if (got.get(TableCatalog.SILVER_TICKS.id())[0] != want.silverRows()) {
      wrong.add(
          "silver/ticks "
              + got.get(TableCatalog.SILVER_TICKS.id())[0]
              + " != "
              + want.silverRows());
    }
    for (Map.Entry<String, Long> e : want.gold().entrySet()) {
      if (got.get(e.getKey())[0] != e.getValue()) {
        wrong.add(e.getKey() + " " + got.get(e.getKey())[0] + " != " + e.getValue());
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException("history " + what + " is wrong: " + wrong);
    }
  }
}

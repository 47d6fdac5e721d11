package dev.ticklake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.SyntheticHistory;
import dev.ticklake.feeds.kafka.KafkaSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code dashboard} suite (the serving suite's part B): the Market dashboard refreshed by
 * concurrent Grafana clients against the real demo while its pipelines run.
 *
 * <p>The demo ({@code ticklake demo}, a child process: embedded Kafka, its synthetic feed of five
 * symbols, the shipped medallion DAG every 5 s) runs on a temp lake and database; this JVM feeds
 * the symbols beyond the demo's five ({@code S0001}...) into the demo's topic at the same rate, so
 * Gold has {@code symbols} symbols. Once Gold has bars of every symbol (the {@code symbols}
 * variable lists them and each one's candles query has rows), {@link DashboardLoad} runs {@code
 * clients} clients refreshing {@code dashboards/market.json} ({@link MarketDashboard}: every panel
 * and annotation request, in parallel) every {@code refreshSeconds} for {@code seconds}. Reported
 * by {@link DashboardReport}: refresh and request p50/p95/max against the target, errors,
 * the demo's peak RSS and RSS at the window's end, and the medallion runs during the window.
 */
final class DashboardBench {
  static final Duration GOLD_DEADLINE = Duration.ofMinutes(5);
  private static final long POLL_MILLIS = 250;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the suite runs: the load and the demo's feed. */
  record Config(
      Path dashboardFile,
      int clients,
      int symbols,
      int refreshSeconds,
      int warmupSeconds,
      int seconds,
      double feedRate,
      List<String> javaOpts) {}

  private final Path workDir;
  private final PrintStream out;
  private final Config config;
  private final HttpClient http = HttpClient.newHttpClient();

  DashboardBench(Path workDir, PrintStream out, Config config) {
    this.workDir = workDir;
    this.out = out;
    this.config = config;
  }

  /**
   * The same clients for {@code warmupSeconds} before the measured window, recorded apart: a
   * dashboard is refreshed against a service that has been up (its JIT has compiled the read path),
   * not against the first requests after start-up, which run interpreted.
   */
  private DashboardReport.Recorder warmUp(
      String base, MarketDashboard dashboard, List<String> symbols) throws InterruptedException {
    DashboardLoad warm = new DashboardLoad(base, dashboard, symbols);
    if (config.warmupSeconds() <= 0) {
      return warm.recorder();
    }
    Suite.log(out, "dashboard: warm-up, %d s (not in the figures)", config.warmupSeconds());
    Duration length = Duration.ofSeconds(config.warmupSeconds());
    warm.start(config.clients(), Duration.ofSeconds(config.refreshSeconds()), length);
    Thread.sleep(length.toMillis()); // finish() cancels the refreshes still scheduled
    return warm.finish();
  }

  private String warmupLine(DashboardReport.Recorder warmup) {
    Percentiles p = warmup.refreshes();
    return String.format(
        Locale.ROOT,
        "warm-up before the window (%d s, not in the figures): %d refreshes, p50 %.1f ms, p95 %.1f"
            + " ms, max %.1f ms, %d errors",
        config.warmupSeconds(),
        p.count(),
        p.p50(),
        p.p95(),
        p.max(),
        warmup.errors());
  }

  /** The demo's feed symbols, then numbered ones up to {@code count}. */
  static List<String> symbols(int count) {
    List<String> all = new ArrayList<>(SyntheticFeed.DEFAULT_START_PRICES.keySet());
    if (count > all.size()) {
      all.addAll(SyntheticHistory.numberedSymbols(count - all.size()));
    }
    return List.copyOf(all.subList(0, count));
  }

  /** Runs the demo and the clients; {@code table} gets the console lines; returns the JSON. */
  Map<String, Object> measure(List<String> table) throws Exception {
    MarketDashboard dashboard = MarketDashboard.load(config.dashboardFile());
    List<String> symbols = symbols(config.symbols());
    Suite.log(out, "dashboard: starting the demo, log %s", workDir.resolve("demo.log"));
    long startNanos = System.nanoTime();
    DemoProcess demo = DemoProcess.launch(workDir, config.javaOpts(), config.feedRate(), "", "");
    FeedPublisher extraFeed = null;
    Thread extraFeedThread = null;
    try {
      String api = demo.awaitApi();
      String base = api.substring(0, api.length() - "/api/v1".length());
      List<String> extra =
          symbols.subList(SyntheticFeed.DEFAULT_START_PRICES.size(), symbols.size());
      if (!extra.isEmpty()) {
        extraFeed = feed(demo.kafkaBootstrap());
        extraFeedThread = startFeed(extraFeed, extra);
      }
      awaitGold(demo, base, dashboard, symbols);
      double goldSeconds = (System.nanoTime() - startNanos) / 1e9;
      Suite.log(
          out,
          "dashboard: gold has bars of all %d symbols after %.1f s",
          symbols.size(),
          goldSeconds);
      DashboardReport.Recorder warmup = warmUp(base, dashboard, symbols);
      MedallionRunsApi runs = new MedallionRunsApi(api);
      Map<String, Object> runsBefore = runs.runCounts();
      DashboardLoad load = new DashboardLoad(base, dashboard, symbols);
      int requestsPerRefresh =
          dashboard.refresh(symbols.get(0), Instant.now(), Instant.now()).size();
      Suite.log(
          out,
          "dashboard: %d clients, %d requests per refresh, every %d s for %d s",
          config.clients(),
          requestsPerRefresh,
          config.refreshSeconds(),
          config.seconds());
      load.start(
          config.clients(),
          Duration.ofSeconds(config.refreshSeconds()),
          Duration.ofSeconds(config.seconds()));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.seconds());
      while (System.nanoTime() < end) {
        demo.checkAlive();
        demo.samplePeakRss();
        Thread.sleep(POLL_MILLIS); // the RSS sampling interval while the clients run
      }
      DashboardReport.Memory memory = memory(demo);
      DashboardReport.Recorder recorded = load.finish();
      Map<String, Object> runsAfter = runs.runCounts();
      table.addAll(DashboardReport.lines(recorded, memory));
      table.add(warmupLine(warmup));
      table.add("medallion runs by state before the window " + runsBefore + ", after " + runsAfter);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("config", configJson(symbols, requestsPerRefresh, dashboard));
      json.put("goldReadySeconds", Math.round(goldSeconds * 10) / 10.0);
      json.putAll(DashboardReport.json(recorded, memory));
      json.put("warmupRefreshes", warmup.refreshes().toJson());
      json.put("warmupErrors", warmup.errors());
      json.put("medallionRunsBeforeWindow", runsBefore);
      json.put("medallionRunsAfterWindow", runsAfter);
      return json;
    } finally {
      if (extraFeed != null) {
        extraFeed.stop();
        extraFeedThread.join(TimeUnit.SECONDS.toMillis(30));
      }
      demo.stop();
    }
  }

  private static DashboardReport.Memory memory(DemoProcess demo) {
    long rss = demo.rss();
    demo.samplePeakRss();
    return new DashboardReport.Memory(demo.peakRss(), rss);
  }

  private static FeedPublisher feed(String bootstrap) {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    return new FeedPublisher(KafkaSettings.of(bootstrap), quiet, System.err);
  }

  /** The extra symbols' feed, at the demo feed's rate per symbol, in a thread of its own. */
  private Thread startFeed(FeedPublisher publisher, List<String> extra) {
    int demoSymbols = SyntheticFeed.DEFAULT_START_PRICES.size();
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .symbols(extra)
            .rate(config.feedRate() * extra.size() / demoSymbols)
            .seed(7)
            .build();
    Thread t = new Thread(() -> publisher.run(feed, 0, null), "dashboard-extra-feed");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits (up to {@link #GOLD_DEADLINE}) until the {@code symbols} variable lists every symbol and
   * each one's candles query over the dashboard's range has rows.
   */
  private void awaitGold(
      DemoProcess demo, String base, MarketDashboard dashboard, List<String> symbols)
      throws Exception {
    long deadline = System.nanoTime() + GOLD_DEADLINE.toNanos();
    List<String> missing = symbols;
    while (System.nanoTime() < deadline) {
      demo.checkAlive();
      demo.samplePeakRss();
      missing = missingSymbols(base, dashboard, symbols);
      if (missing.isEmpty()) {
        return;
      }
      Thread.sleep(POLL_MILLIS); // the poll interval of the wait for Gold
    }
    throw new IllegalStateException(
        "gold has no bars of "
            + missing
            + " after "
            + GOLD_DEADLINE.toMinutes()
            + " minutes; see "
            + demo.log());
  }

  private List<String> missingSymbols(String base, MarketDashboard dashboard, List<String> symbols)
      throws Exception {
    JsonNode listed = post(base + "/grafana/variable", "{\"payload\": {\"target\": \"symbols\"}}");
    List<String> known = listed == null ? List.of() : listed.findValuesAsText("value");
    List<String> missing = new ArrayList<>();
    for (String symbol : symbols) {
      if (!known.contains(symbol) || !hasCandles(base, dashboard, symbol)) {
        missing.add(symbol);
      }
    }
    return missing;
  }

  /** Whether the first panel's query (the candles) answers rows for {@code symbol}. */
  private boolean hasCandles(String base, MarketDashboard dashboard, String symbol)
      throws Exception {
    Instant to = Instant.now();
    MarketDashboard.Request candles =
        dashboard.refresh(symbol, to.minus(dashboard.defaultRange()), to).get(0);
    JsonNode answer = post(base + candles.pathAndQuery(), candles.body());
    return answer != null && !answer.findValues("rows").stream().allMatch(JsonNode::isEmpty);
  }

  /** The JSON answer of a 200, null otherwise (the demo may still be starting). */
  private JsonNode post(String url, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private Map<String, Object> configJson(
      List<String> symbols, int requestsPerRefresh, MarketDashboard dashboard) {
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("dashboard", config.dashboardFile().toString());
    cfg.put("clients", config.clients());
    cfg.put("symbols", symbols);
    cfg.put("refreshSeconds", config.refreshSeconds());
    cfg.put("warmupSeconds", config.warmupSeconds());
    cfg.put("windowSeconds", config.seconds());
    cfg.put("timeRange", "last " + dashboard.defaultRange());
    cfg.put("requestsPerRefresh", requestsPerRefresh);
    cfg.put("panelRequests", "in parallel, as Grafana runs a refresh's panel queries");
    cfg.put("viewportPixels", MarketDashboard.VIEWPORT_PIXELS);
    cfg.put("feedRatePerFiveSymbols", config.feedRate());
    cfg.put("demoJavaOpts", String.join(" ", config.javaOpts()));
    cfg.put("runner", "direct (demo default)");
    cfg.put("medallionSchedule", "5s (shipped DAG)");
    return cfg;
  }
}

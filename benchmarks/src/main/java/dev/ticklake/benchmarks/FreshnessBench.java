package dev.ticklake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.benchmarks.pipelines.Environment;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.schemas.catalog.TableCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The {@code freshness} suite: the real demo ({@code ticklake demo}: embedded Kafka, synthetic
 * feed, scheduler with the shipped medallion DAG every 5 s) as a child process on a temp lake and
 * database, with the feed at {@code --feedRate} events/s, for {@code --freshnessSeconds}.
 *
 * <p>Measured, in this JVM, independently of the demo:
 *
 * <ul>
 *   <li><b>Freshness</b> of every event produced in the window ({@link FreshnessCalculator}): a
 *       Kafka consumer reads the demo's topic and records each event's production time (the
 *       record's CreateTime, set by the demo's producer when it sent the event); {@link
 *       GoldBarsReader} polls {@code gold/bars_1m} every {@value #POLL_MILLIS} ms and, for every
 *       version, takes the time its commit file appeared and each bar's {@code trade_count}. An
 *       event is visible from the first version whose bar (symbol, minute) counts it. After the
 *       window, polling goes on for {@code --freshnessGraceSeconds}; events still not in gold then
 *       are reported as not visible (and are not in the percentiles). Reported for all events of
 *       the window, and for those produced after the first gold version (steady state, without the
 *       start-up of the JVM, broker and first pipelines).
 *   <li><b>Start-up</b>: seconds from the child's start to the first successful medallion run (the
 *       REST API) and to the first gold bars (the reader): the 60 s acceptance target.
 *   <li><b>Peak RSS of the demo process</b>: {@code VmHWM} of the child from {@code
 *       /proc/<pid>/status}, sampled until it exits, against the 1.5 GiB target.
 * </ul>
 */
final class FreshnessBench {
  static final long POLL_MILLIS = 100;
  static final double P95_TARGET_SECONDS = 5;
  static final long RSS_TARGET_BYTES = 3L << 29; // 1.5 GiB
  static final double STARTUP_TARGET_SECONDS = 60;
  private static final Pattern API = Pattern.compile("API:\\s+http://localhost:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private final PrintStream out;
  private final double feedRate;
  private final int seconds;
  private final int graceSeconds;
  private final String runner;
  private final String schedule;
  private final List<String> javaOpts;

  FreshnessBench(
      Path workDir,
      PrintStream out,
      double feedRate,
      int seconds,
      int graceSeconds,
      String runner,
      String schedule,
      List<String> javaOpts) {
    this.workDir = workDir;
    this.out = out;
    this.feedRate = feedRate;
    this.seconds = seconds;
    this.graceSeconds = graceSeconds;
    this.runner = runner;
    this.schedule = schedule;
    this.javaOpts = javaOpts;
  }

  Map<String, Object> measure(List<String> table) throws Exception {
    int kafkaPort = freePort();
    Path config = writeConfig(kafkaPort);
    Path log = workDir.resolve("demo.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOpts);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TickLakeApplication.class.getName());
    command.add("demo");
    command.add(config.toString());
    Suite.log(
        out,
        "freshness: starting the demo (%s; medallion %s), log %s",
        String.join(" ", javaOpts),
        schedule.isEmpty() ? "every 5 s, shipped DAG" : "schedule " + schedule,
        log);
    long startNanos = System.nanoTime();
    Instant started = Instant.now();
    Process demo =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    FreshnessCalculator calc = new FreshnessCalculator();
    AtomicBoolean consuming = new AtomicBoolean(true);
    AtomicLong firstProduced = new AtomicLong(-1);
    Thread consumer =
        new Thread(
            () -> consume("127.0.0.1:" + kafkaPort, calc, consuming, firstProduced),
            "freshness-consumer");
    consumer.setDaemon(true);
    long peakRss = -1;
    Double firstSuccessSeconds = null;
    Double firstGoldSeconds = null;
    Instant firstGoldAt = null;
    Map<String, Object> runs = null;
    Map<String, Object> durations = null;
    List<RunTimeline.Run> timeline = List.of();
    try {
      String api = awaitApi(demo, log);
      long feedDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      consumer.start();
      GoldBarsReader gold =
          new GoldBarsReader(
              TableCatalog.GOLD_BARS_1M.location(workDir.resolve("lake").toString()));
      HttpClient http = HttpClient.newHttpClient();
      long nextApiCheck = 0;
      long windowEnd = Long.MAX_VALUE;
      long stopAt = Long.MAX_VALUE;
      while (System.nanoTime() < stopAt) {
        if (!demo.isAlive()) {
          throw new IllegalStateException("the demo exited (" + demo.exitValue() + "); see " + log);
        }
        peakRss = Math.max(peakRss, Environment.readPeakRss(demo.pid()));
        for (GoldBarsReader.Version v : gold.poll()) {
          calc.version(v.visibleAt(), v.tradeCounts());
          if (firstGoldAt == null && !v.tradeCounts().isEmpty()) {
            firstGoldAt = v.visibleAt();
            firstGoldSeconds = Duration.between(started, firstGoldAt).toMillis() / 1000.0;
            Suite.log(out, "freshness: first gold bars after %.1f s", firstGoldSeconds);
          }
        }
        if (firstSuccessSeconds == null && System.nanoTime() > nextApiCheck) {
          nextApiCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
          if (anyRunSucceeded(http, api)) {
            firstSuccessSeconds = (System.nanoTime() - startNanos) / 1e9;
            Suite.log(
                out, "freshness: first successful medallion run after %.1f s", firstSuccessSeconds);
          }
        }
        if (windowEnd == Long.MAX_VALUE
            && firstProduced.get() < 0
            && System.nanoTime() > feedDeadline) {
          throw new IllegalStateException(
              "no event on the demo's topic within 3 minutes of start-up; see " + log);
        }
        if (windowEnd == Long.MAX_VALUE && firstProduced.get() > 0) {
          windowEnd = firstProduced.get() + seconds * 1000L;
          Suite.log(out, "freshness: feed started; measuring events of the next %d s", seconds);
        }
        if (stopAt == Long.MAX_VALUE && System.currentTimeMillis() >= windowEnd) {
          stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
          Suite.log(
              out, "freshness: window over; up to %d s more for gold to catch up", graceSeconds);
        }
        if (stopAt != Long.MAX_VALUE && windowEnd != Long.MAX_VALUE) {
          FreshnessCalculator.Result r = calc.result(firstProduced.get(), windowEnd);
          if (r.notVisible() == 0 && r.produced() > 0) {
            break;
          }
        }
        Thread.sleep(POLL_MILLIS); // the poll interval of the gold reader
      }
      runs = runCounts(http, api);
      timeline = runTimeline(http, api, started);
      durations = runDurations(timeline);
    } finally {
      consuming.set(false);
      demo.destroy(); // SIGTERM: the demo stops its scheduler, feed and broker
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (demo.isAlive() && System.nanoTime() < deadline) {
        peakRss = Math.max(peakRss, Environment.readPeakRss(demo.pid()));
        demo.waitFor(200, TimeUnit.MILLISECONDS);
      }
      if (demo.isAlive()) {
        demo.destroyForcibly();
        demo.waitFor(30, TimeUnit.SECONDS);
      }
      consumer.join(10_000);
    }

    long from = firstProduced.get();
    long to = from + seconds * 1000L;
    FreshnessCalculator.Result all = calc.result(from, to);
    Percentiles pAll = Percentiles.of(all.latenciesMillis());
    FreshnessCalculator.Result steady =
        firstGoldAt == null
            ? new FreshnessCalculator.Result(new double[0], 0, 0)
            : calc.result(Math.max(from, firstGoldAt.toEpochMilli()), to);
    Percentiles pSteady = Percentiles.of(steady.latenciesMillis());

    Map<String, Object> section = new LinkedHashMap<>();
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("feedRate", feedRate);
    cfg.put("windowSeconds", seconds);
    cfg.put("graceSeconds", graceSeconds);
    cfg.put("runner", runner.isEmpty() ? "direct (demo default)" : runner);
    cfg.put("medallionSchedule", schedule.isEmpty() ? "5s (shipped DAG)" : schedule);
    cfg.put("demoJavaOpts", String.join(" ", javaOpts));
    cfg.put("goldPollMillis", POLL_MILLIS);
    cfg.put(
        "definition",
        "event production = Kafka CreateTime set by the demo's producer; visible = mtime of the"
            + " _delta_log commit file of the first gold/bars_1m version whose bar (symbol, minute)"
            + " has trade_count >= the event's rank in that bar (offset order)");
    section.put("config", cfg);
    section.put("freshness", freshnessJson(all, pAll));
    section.put("freshnessAfterFirstGold", freshnessJson(steady, pSteady));
    Map<String, Object> startup = new LinkedHashMap<>();
    startup.put("firstSuccessfulRunSeconds", firstSuccessSeconds);
    startup.put("firstGoldBarsSeconds", firstGoldSeconds);
    startup.put("targetSeconds", STARTUP_TARGET_SECONDS);
    startup.put(
        "met",
        firstSuccessSeconds != null
            && firstGoldSeconds != null
            && Math.max(firstSuccessSeconds, firstGoldSeconds) <= STARTUP_TARGET_SECONDS);
    section.put("startup", startup);
    Map<String, Object> rss = new LinkedHashMap<>();
    rss.put("peakRssBytes", peakRss);
    rss.put("targetBytes", RSS_TARGET_BYTES);
    rss.put("met", peakRss > 0 && peakRss <= RSS_TARGET_BYTES);
    section.put("demoProcess", rss);
    section.put("medallionRuns", runs);
    section.put("medallionRunDurations", durations);
    section.put("medallionRunTimeline", timeline.stream().map(RunTimeline.Run::toJson).toList());
    section.put("eventsConsumed", calc.events());
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("freshnessP95TargetSeconds", P95_TARGET_SECONDS);
    // The target is for the shipped DAG (every 5 s); another schedule is a comparison, not it.
    boolean shippedSchedule = schedule.isEmpty() || schedule.equals("5s");
    target.put("appliesToThisSchedule", shippedSchedule);
    target.put(
        "met",
        shippedSchedule
            && all.notVisible() == 0
            && pAll.count() > 0
            && pAll.p95() <= P95_TARGET_SECONDS * 1000);
    section.put("target", target);

    table.add(
        String.format(
            Locale.ROOT,
            "freshness, %d events produced in %d s at %.0f/s: %s; not visible after the grace: %d",
            all.produced(),
            seconds,
            feedRate,
            SchedulerBench.describe(pAll),
            all.notVisible()));
    table.add("after the first gold version: " + SchedulerBench.describe(pSteady));
    table.add(
        String.format(
            Locale.ROOT,
            "start-up: first successful run %s s, first gold bars %s s (target %.0f s); medallion"
                + " runs %s",
            firstSuccessSeconds,
            firstGoldSeconds,
            STARTUP_TARGET_SECONDS,
            runs));
    table.add("successful medallion runs, start to end, and per task: " + durations);
    table.add(
        String.format(
            Locale.ROOT,
            "demo process peak RSS %d MiB (target %d MiB)",
            peakRss >> 20,
            RSS_TARGET_BYTES >> 20));
    return section;
  }

  private static Map<String, Object> freshnessJson(FreshnessCalculator.Result r, Percentiles p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventsProduced", r.produced());
    m.put("eventsNotVisible", r.notVisible());
    m.putAll(p.toJson());
    m.put("count", p.count());
    return m;
  }

  private Path writeConfig(int kafkaPort) throws IOException {
    Path config = workDir.resolve("demo.yml");
    List<String> lines = new ArrayList<>();
    lines.add("lakeRoot: " + workDir.resolve("lake"));
    Path dags = Files.createDirectories(workDir.resolve("dags"));
    lines.add("dagsFolder: " + dags);
    if (!schedule.isEmpty()) {
      // A copy of the shipped DAG with another schedule: the same tasks and options otherwise.
      String shipped;
      try (var in = FreshnessBench.class.getResourceAsStream("/dags/medallion.yml")) {
        shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      String changed = shipped.replaceFirst("(?m)^schedule:.*$", "schedule: \"" + schedule + "\"");
      if (changed.equals(shipped)) {
        throw new IllegalStateException("the shipped medallion DAG has no schedule line");
      }
      Files.writeString(dags.resolve("medallion.yml"), changed);
    }
    lines.add("database:");
    lines.add("  driverClass: org.h2.Driver");
    lines.add(
        "  url: jdbc:h2:file:"
            + workDir.resolve("data/ticklake")
            + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    lines.add("  user: sa");
    lines.add("  password: \"\"");
    if (!runner.isEmpty()) {
      lines.add("runner: " + runner);
    }
    lines.add("demo:");
    lines.add("  kafkaPort: " + kafkaPort);
    lines.add("  kafkaDataDir: " + workDir.resolve("data/kafka"));
    lines.add("  feedRate: " + feedRate);
    lines.add("  feedSeed: 42");
    lines.add("server:");
    lines.add("  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]");
    lines.add("  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]");
    lines.add("logging:");
    lines.add("  level: INFO");
    lines.add(
        "  loggers: {org.apache.kafka: WARN, kafka: WARN, state.change.logger: WARN,"
            + " io.delta: WARN, org.apache.parquet: WARN, org.apache.hadoop: WARN}");
    Files.writeString(config, String.join("\n", lines) + "\n");
    return config;
  }

  private static String awaitApi(Process demo, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = API.matcher(text);
      if (m.find()) {
        return "http://127.0.0.1:" + m.group(1) + "/api/v1";
      }
      if (!demo.isAlive()) {
        throw new IllegalStateException("the demo exited (" + demo.exitValue() + "); see " + log);
      }
      demo.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("the demo did not print its API URL within 3 minutes; " + log);
  }

  private static JsonNode runs(HttpClient http, String api) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/dags/medallion/runs?limit=1000"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createArrayNode();
  }

  private static boolean anyRunSucceeded(HttpClient http, String api) throws Exception {
    for (JsonNode run : runs(http, api)) {
      if ("success".equals(run.path("state").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Runs of medallion by state, e.g. {success=20, running=1}. */
  private static Map<String, Object> runCounts(HttpClient http, String api) throws Exception {
    Map<String, Object> m = new java.util.TreeMap<>();
    for (JsonNode run : runs(http, api)) {
      m.merge(run.path("state").asText(), 1, (a, b) -> (Integer) a + (Integer) b);
    }
    return m;
  }

  /**
   * Durations of the successful medallion runs and of their tasks, in ms (p50, p95, max): an
   * event's freshness is the wait for the next scheduled run plus about one run.
   */
  static Map<String, Object> runDurations(List<RunTimeline.Run> timeline) {
    List<Double> runMillis = new ArrayList<>();
    Map<String, List<Double>> taskMillis = new java.util.TreeMap<>();
    for (RunTimeline.Run run : timeline) {
      if (!"success".equals(run.state())) {
        continue;
      }
      runMillis.add((double) run.durationMillis());
      run.taskMillis()
          .forEach(
              (task, ms) ->
                  taskMillis.computeIfAbsent(task, k -> new ArrayList<>()).add((double) ms));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", percentiles(runMillis).toJson());
    taskMillis.forEach((task, ms) -> m.put(task, percentiles(ms).toJson()));
    return m;
  }

  /**
   * Every medallion run (oldest first) with its start relative to the demo's start, its duration,
   * each task's duration and the rows its Bronze batch read (from the ingest task's log): where the
   * freshness goes, run by run (the cold first run, the catch-up after it, the steady state).
   */
  private static List<RunTimeline.Run> runTimeline(HttpClient http, String api, Instant started)
      throws Exception {
    List<RunTimeline.Run> out = new ArrayList<>();
    for (JsonNode run : runs(http, api)) {
      if (run.path("startedAt").isNull() || run.path("startedAt").isMissingNode()) {
        continue;
      }
      String id = java.net.URLEncoder.encode(run.path("runId").asText(), "UTF-8");
      Map<String, Long> taskMillis = new java.util.TreeMap<>();
      Long bronzeRows = null;
      HttpResponse<String> r = get(http, api + "/runs/" + id + "/tasks");
      if (r.statusCode() == 200) {
        for (JsonNode task : JSON.readTree(r.body())) {
          if (!ended(task)) {
            continue;
          }
          String taskId = task.path("taskId").asText();
          taskMillis.put(taskId, (long) millisBetween(task));
          if (taskId.equals("ingest_bronze")) {
            HttpResponse<String> log =
                get(
                    http,
                    api
                        + "/runs/"
                        + id
                        + "/tasks/ingest_bronze/logs/"
                        + task.path("tryNumber").asInt());
            bronzeRows = log.statusCode() == 200 ? RunTimeline.bronzeRows(log.body()) : null;
          }
        }
      }
      Instant runStart = Instant.parse(run.path("startedAt").asText());
      out.add(
          new RunTimeline.Run(
              run.path("state").asText(),
              Duration.between(started, runStart).toMillis() / 1000.0,
              ended(run) ? (long) millisBetween(run) : -1,
              taskMillis,
              bronzeRows));
    }
    out.sort(java.util.Comparator.comparingDouble(RunTimeline.Run::startSeconds));
    return out;
  }

  private static boolean ended(JsonNode node) {
    return !node.path("endedAt").isMissingNode() && !node.path("endedAt").isNull();
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double millisBetween(JsonNode startedAndEnded) {
    return Duration.between(
            Instant.parse(startedAndEnded.path("startedAt").asText()),
            Instant.parse(startedAndEnded.path("endedAt").asText()))
        .toMillis();
  }

  private static Percentiles percentiles(List<Double> millis) {
    return Percentiles.of(millis.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Reads the demo's topic from the beginning until {@code consuming} turns false. */
  private static void consume(
      String bootstrap, FreshnessCalculator calc, AtomicBoolean consuming, AtomicLong first) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      String topic = "market.ticks";
      List<TopicPartition> partitions = new ArrayList<>();
      while (consuming.get() && partitions.isEmpty()) {
        try {
          for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(2))) {
            partitions.add(new TopicPartition(topic, info.partition()));
          }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          // the demo's broker or topic is not there yet
        }
        if (partitions.isEmpty()) {
          try {
            Thread.sleep(200); // waiting for the demo's topic
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (consuming.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          try {
            JsonNode e = JSON.readTree(new String(r.value(), StandardCharsets.UTF_8));
            calc.event(
                e.get("symbol").asText(), Instant.parse(e.get("ts").asText()), r.timestamp());
            first.compareAndSet(-1, r.timestamp());
          } catch (IOException | RuntimeException bad) {
            // not an event Silver would keep: not measured
          }
        }
      }
    } catch (RuntimeException e) {
      if (consuming.get()) {
        throw e;
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

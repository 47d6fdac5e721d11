package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.feeds.Feed;
import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.FeedProblem;
import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.Pacing;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Await;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.util.FaultPoints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart recovery with the real service: {@code server} runs in a child JVM (H2 file database and
 * lake in a temp dir, the medallion DAG, Kafka embedded in this JVM with 600 records of a seeded
 * synthetic feed including duplicates, out-of-order, malformed and invalid events). The child is
 * SIGKILLed while a task is {@code running}, paused at a Delta commit ({@link FaultPoints}); a
 * second child on the same database and lake recovers the task, retries it and completes the
 * interrupted run. Checked through the REST API (the exact run list and tries) and with Delta
 * Kernel (the exact keys of bronze, silver and gold, computed independently from the produced
 * records).
 */
class RestartRecoveryIT {

  // Generous: the child JVMs share 2 cores with builds; Silver on the DirectRunner is slow.
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
  private static final int RECORDS = 600;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private SyntheticFeed feed;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void produceEvents() {
    kafka = EmbeddedKafka.start();
    KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers()).withPartitions(2);
    Topics.ensureTopic(settings);
    // 5 events/s of event time: 2 minutes of trades, so gold has 2 bars per symbol.
    feed =
        SyntheticFeed.builder()
            .seed(20261121)
            .count(RECORDS)
            .rate(5)
            .start(Instant.parse("2026-01-05T14:30:00Z"))
            .faults(new SyntheticFeed.Faults(0.05, 0.02, 0.02, 0.02))
            .build();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    FeedSummary sent = new FeedPublisher(settings, quiet, quiet).run(unpaced(feed), 0, null);
    assertThat(sent.sent()).isEqualTo(RECORDS);
    assertThat(sent.errors()).isZero();
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void killedBeforeRefineSilverCommitsThenRestartedCompletesTheRunExactlyOnce() throws Exception {
    // ingest_bronze commits once; skip it and stop refine_silver before its first commit.
    Child first = startChild(FaultPoints.BEFORE_COMMIT, 1);
    first.killAtFaultPoint(FaultPoints.BEFORE_COMMIT);

    Child second = startChild(null, 0);
    JsonNode run = second.awaitOnlyRunEnds();
    assertThat(run.get("state").asText()).isEqualTo("success");
    assertThat(second.tries(run.get("runId").asText()))
        .as("refine_silver was interrupted: recovered, then tried again")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ingest_bronze",
                "success#1",
                "refine_silver",
                "success#2",
                "build_gold",
                "success#1"));
    String runId = run.get("runId").asText();
    assertThat(second.log(runId, "refine_silver", 1))
        .as("the interrupted try's log says why it ended")
        .contains("[ticklake] ", Scheduler.RECOVERY_REASON);
    assertThat(second.get("/runs/" + runId + "/tasks/refine_silver/events"))
        .as("the events endpoint has the recovery")
        .anyMatch(
            e ->
                e.get("tryNumber").asInt() == 1
                    && e.get("reason").asText().startsWith(Scheduler.RECOVERY_REASON));
    second.stop();

    assertLakeHoldsEveryEventExactlyOnce();
  }

  @Test
  void killedRightAfterTheBronzeCommitThenRestartedDoesNotIngestTwice() throws Exception {
    Child first = startChild(FaultPoints.AFTER_COMMIT, 0);
    first.killAtFaultPoint(FaultPoints.AFTER_COMMIT);

    Child second = startChild(null, 0);
    JsonNode run = second.awaitOnlyRunEnds();
    assertThat(run.get("state").asText()).isEqualTo("success");
    assertThat(second.tries(run.get("runId").asText()))
        .as("ingest_bronze was interrupted after its commit: recovered, then tried again")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ingest_bronze",
                "success#2",
                "refine_silver",
                "success#1",
                "build_gold",
                "success#1"));
    assertThat(second.log(run.get("runId").asText(), "ingest_bronze", 2))
        .as("the retry found its batch already committed")
        .doesNotContain("status COMMITTED");
    second.stop();

    assertLakeHoldsEveryEventExactlyOnce();
  }

  // ------------------------------------------------------------------ expectations

  /**
   * bronze = every record; silver = distinct valid (symbol, ts); gold = distinct (symbol, minute).
   */
  private void assertLakeHoldsEveryEventExactlyOnce() throws IOException {
    Set<List<Object>> silverKeys = new HashSet<>();
    Set<List<Object>> barKeys = new HashSet<>();
    int records = 0;
    for (Iterator<FeedItem> it = feed.items(); it.hasNext(); ) {
      FeedItem item = it.next();
      records++;
      JsonNode event;
      try {
        event = JSON.readTree(item.value());
      } catch (IOException e) {
        continue; // not JSON: quarantined
      }
      if (event == null
          || !event.hasNonNull("symbol")
          || !event.hasNonNull("ts")
          || !event.hasNonNull("price")
          || event.get("price").asDouble() <= 0) {
        continue; // quarantined
      }
      Instant ts = Instant.parse(event.get("ts").asText());
      String symbol = event.get("symbol").asText();
      silverKeys.add(List.of(symbol, ts));
      barKeys.add(List.of(symbol, ts.truncatedTo(ChronoUnit.MINUTES)));
    }
    assertThat(records).isEqualTo(RECORDS);
    assertThat(silverKeys.size())
        .as("the feed has duplicates and invalid records")
        .isLessThan(records);

    String lake = dir.resolve("lake").toString();
    assertThat(KernelTableReader.of(TableCatalog.BRONZE_TICKS.location(lake)).readLatest())
        .hasSize(RECORDS);
    List<Map<String, Object>> silver =
        KernelTableReader.of(TableCatalog.SILVER_TICKS.location(lake)).readLatest();
    assertThat(silver).hasSize(silverKeys.size());
    assertThat(silver)
        .extracting(r -> List.of(r.get("symbol"), r.get("ts")))
        .containsExactlyInAnyOrderElementsOf(silverKeys);
    List<Map<String, Object>> bars =
        KernelTableReader.of(TableCatalog.GOLD_BARS_1M.location(lake)).readLatest();
    assertThat(bars).hasSize(barKeys.size());
    assertThat(bars)
        .extracting(r -> List.of(r.get("symbol"), r.get("bar_start")))
        .containsExactlyInAnyOrderElementsOf(barKeys);
    assertThat(bars.stream().mapToLong(r -> (Long) r.get("trade_count")).sum())
        .as("every silver event counted once in the bars")
        .isEqualTo(silverKeys.size());
  }

  private String settingsTopic() {
    return KafkaSettings.of(kafka.bootstrapServers()).topic();
  }

  /** The synthetic feed sent as fast as Kafka takes it (its timestamps still 200 ms apart). */
  private static Feed unpaced(SyntheticFeed feed) {
    return new Feed() {
      @Override
      public String source() {
        return feed.source();
      }

      @Override
      public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
        return feed.open(problems);
      }

      @Override
      public Pacing pacing() {
        return Pacing.none();
      }
    };
  }

  // ------------------------------------------------------------------ the child service

  /**
   * Starts {@code server} in a child JVM on this test's database, lake and Kafka. With a fault
   * point, the child pauses at it after letting {@code skip} reaches pass.
   */
  private Child startChild(String faultPoint, int skip) throws IOException {
    Path dags = Files.createDirectories(dir.resolve("dags"));
    // The shipped medallion DAG with a yearly schedule: exactly one scheduled run (the latest
    // January 1st), which a restart must neither lose nor create again.
    String shipped =
        new String(
            RestartRecoveryIT.class.getResourceAsStream("/dags/medallion.yml").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    String yearly =
        shipped
            .replaceFirst("(?m)^schedule: .*$", "schedule: \"0 0 1 1 *\"")
            .replaceFirst("(?m)^start_date: .*$", "start_date: 2020-01-01T00:00:00Z")
            // Only the kill may cost a try: a slow Silver on a busy machine must not time out.
            .replace("execution_timeout: 5m", "execution_timeout: 30m");
    assertThat(yearly)
        .contains("schedule: \"0 0 1 1 *\"")
        .contains("dag_id: medallion")
        .contains("execution_timeout: 30m");
    Files.writeString(dags.resolve("medallion.yml"), yearly);
    Path config = dir.resolve("ticklake-test.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "lakeRoot: " + dir.resolve("lake"),
            "dagsFolder: " + dags,
            "loadShippedDags: false",
            "database:",
            "  driverClass: org.h2.Driver",
            "  url: jdbc:h2:file:" + dir.resolve("db/ticklake") + ";DB_CLOSE_ON_EXIT=FALSE",
            "  user: sa",
            "  password: \"\"",
            "kafka:",
            "  bootstrapServers: " + kafka.bootstrapServers(),
            "  topic: " + settingsTopic(),
            "  partitions: 2",
            "scheduler:",
            "  workers: 2",
            "  heartbeatTimeout: 30s",
            // A fixed password: otherwise the first start would write a generated one to
            // ./data/admin-password.txt in the working directory.
            "auth:",
            "  adminPassword: test-pass",
            "server:",
            "  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]",
            "  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]",
            "logging:",
            "  level: INFO",
            "  loggers: {org.apache.kafka: WARN, kafka: WARN, io.delta: WARN,"
                + " org.apache.parquet: WARN, org.apache.hadoop: WARN}",
            ""));
    Path markers = Files.createDirectories(dir.resolve("markers"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    if (faultPoint != null) {
      command.add("-Dticklake.fault.pause=" + faultPoint);
      command.add("-Dticklake.fault.skip=" + skip);
      command.add("-Dticklake.fault.dir=" + markers);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TickLakeApplication.class.getName());
    command.add("server");
    command.add(config.toString());
    Path log = dir.resolve("child-" + (children.size() + 1) + ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    children.add(p);
    return new Child(p, log, markers);
  }

  private static final class Child {
    private static final Pattern API = Pattern.compile("API:\\s+http://localhost:(\\d+)/");
    private final Process process;
    private final Path log;
    private final Path markers;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    Child(Process process, Path log, Path markers) {
      this.process = process;
      this.log = log;
      this.markers = markers;
    }

    /** Waits until the child pauses at {@code point}, then SIGKILLs it. */
    void killAtFaultPoint(String point) throws Exception {
      Path marker = markers.resolve(point + ".reached");
      awaitWithOutput(
          "the child to reach " + point,
          () -> {
            alive("before reaching " + point);
            return Files.exists(marker);
          },
          reached -> reached);
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no scheduler stop
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      Files.delete(marker);
    }

    /** The base URL of the API, once the child has printed it. */
    String base() throws Exception {
      if (base == null) {
        String port =
            awaitWithOutput(
                    "the child to serve",
                    () -> {
                      Matcher m = API.matcher(output());
                      if (m.find()) {
                        return Optional.of(m.group(1));
                      }
                      alive("before serving");
                      return Optional.<String>empty();
                    },
                    Optional::isPresent)
                .orElseThrow();
        base = "http://127.0.0.1:" + port + "/api/v1";
      }
      return base;
    }

    /** {@link Await#until} with the child's output added to a time-out's message. */
    private <T> T awaitWithOutput(String what, Callable<T> probe, Predicate<? super T> done)
        throws IOException {
      try {
        return Await.until(START_TIMEOUT, what, probe, done);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ":\n" + output(), e);
      }
    }

    JsonNode get(String path) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    }

    String log(String runId, String taskId, int tryNumber) throws Exception {
      String path = "/runs/" + runId + "/tasks/" + taskId + "/logs/" + tryNumber;
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
      return r.body();
    }

    /**
     * Polls the runs of {@code medallion} until its run has ended; asserts it is the only run, the
     * scheduled one of the latest January 1st.
     */
    JsonNode awaitOnlyRunEnds() throws Exception {
      Instant expectedLogical =
          LocalDate.now(ZoneOffset.UTC).withDayOfYear(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      JsonNode runs;
      try {
        runs =
            Await.until(
                RUN_TIMEOUT,
                "the medallion run to end",
                () -> {
                  alive("while the run was not over");
                  JsonNode all = get("/dags/medallion/runs");
                  assertThat(all.size()).as("runs %s", all).isLessThanOrEqualTo(1);
                  if (all.size() == 1) {
                    JsonNode run = all.get(0);
                    assertThat(run.get("runType").asText()).isEqualTo("scheduled");
                    assertThat(Instant.parse(run.get("logicalTime").asText()))
                        .isEqualTo(expectedLogical);
                  }
                  return all;
                },
                all ->
                    all.size() == 1
                        && Set.of("success", "failed").contains(all.get(0).get("state").asText()));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + output(), e);
      }
      // Settled: a pass later, still exactly this run.
      assertThat(get("/dags/medallion/runs")).hasSize(1);
      return runs.get(0);
    }

    /** task id -> "state#tryNumber". */
    Map<String, String> tries(String runId) throws Exception {
      Map<String, String> m = new java.util.HashMap<>();
      for (JsonNode t : get("/runs/" + runId + "/tasks")) {
        m.put(t.get("taskId").asText(), t.get("state").asText() + "#" + t.get("tryNumber").asInt());
      }
      return m;
    }

    /** Graceful stop (SIGTERM), so that H2 and the lake are closed before they are read. */
    void stop() throws Exception {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child stopped").isTrue();
    }

    private void alive(String when) throws IOException {
      if (!process.isAlive()) {
        fail("child exited (" + process.exitValue() + ") " + when + ":\n" + output());
      }
    }

    private String output() throws IOException {
      return Files.exists(log) ? Files.readString(log) : "";
    }
  }
}

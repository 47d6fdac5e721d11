package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.util.FaultPoints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    FeedSummary sent = new FeedPublisher(settings, quiet, quiet).run(UnpacedFeed.of(feed), 0, null);
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
  void killedThreeTimesBeforeRefineSilverCommitsThenRestartedCompletesTheRunExactlyOnce()
      throws Exception {
    // ingest_bronze commits once; skip it and stop refine_silver before its first commit.
    ServiceChild first = startChild(FaultPoints.BEFORE_COMMIT, 1);
    first.killAtFaultPoint(FaultPoints.BEFORE_COMMIT);
    // Two more service crashes in the same run: each restart recovers refine_silver's try and
    // the next try is killed again before its commit.
    for (int crash = 2; crash <= 3; crash++) {
      startChild(FaultPoints.BEFORE_COMMIT, 0).killAtFaultPoint(FaultPoints.BEFORE_COMMIT);
    }

    ServiceChild last = startChild(null, 0);
    JsonNode run = last.awaitOnlyRunEnds("medallion");
    assertThat(run.get("state").asText())
        .as("three crashes of the service are not failures of the task")
        .isEqualTo("success");
    String runId = run.get("runId").asText();
    assertThat(last.tries(runId))
        .as("refine_silver was interrupted three times: recovered each time, then tried again")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ingest_bronze",
                "success#1",
                "refine_silver",
                "success#4",
                "build_gold",
                "success#1"));
    JsonNode events = last.get("/runs/" + runId + "/tasks/refine_silver/events");
    for (int tryNumber = 1; tryNumber <= 3; tryNumber++) {
      int t = tryNumber;
      assertThat(last.log(runId, "refine_silver", t))
          .as("interrupted try %d's log says why it ended", t)
          .contains("[ticklake] ", Scheduler.RECOVERY_REASON);
      assertThat(events)
          .as("the events endpoint has try %d's recovery", t)
          .anyMatch(
              e ->
                  e.get("tryNumber").asInt() == t
                      && e.get("reason").asText().startsWith(Scheduler.RECOVERY_REASON));
    }
    last.stop();

    assertLakeHoldsEveryEventExactlyOnce();
  }

  @Test
  void killedRightAfterTheBronzeCommitThenRestartedDoesNotIngestTwice() throws Exception {
    ServiceChild first = startChild(FaultPoints.AFTER_COMMIT, 0);
    first.killAtFaultPoint(FaultPoints.AFTER_COMMIT);

    ServiceChild second = startChild(null, 0);
    JsonNode run = second.awaitOnlyRunEnds("medallion");
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

  // ------------------------------------------------------------------ the child service

  /**
   * Starts {@code server} in a child JVM on this test's database, lake and Kafka. With a fault
   * point, the child pauses at it after letting {@code skip} reaches pass.
   */
  private ServiceChild startChild(String faultPoint, int skip) throws IOException {
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
    Path config = ServiceChild.writeConfig(dir, dags, kafka.bootstrapServers(), settingsTopic());
    return ServiceChild.start(dir, config, faultPoint, skip, children);
  }
}

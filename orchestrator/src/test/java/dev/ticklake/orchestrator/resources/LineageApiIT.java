package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TestFeeds;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Await;
import dev.ticklake.transforms.delta.DeltaTable;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lineage of a real medallion run through the whole service: embedded Kafka with 20 good trades and
 * 3 bad records, the medallion DAG (manual) run twice (the second finds nothing new) and a DAG
 * whose task fails; OpenLineage events collected by a local HTTP endpoint; lineage and data-quality
 * APIs.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LineageApiIT {

  private static final Path DIR = dir();
  private static final EmbeddedKafka KAFKA = EmbeddedKafka.start();
  private static final OpenLineageCollector COLLECTOR = OpenLineageCollector.start();
  private static final String LAKE = DIR.resolve("lake").toString();

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(
          DIR,
          ConfigOverride.config("kafka.bootstrapServers", KAFKA.bootstrapServers()),
          ConfigOverride.config("lineage.transport", "http"),
          ConfigOverride.config("lineage.url", COLLECTOR.url()),
          ConfigOverride.config("lineage.namespace", "ticklake-test"));

  private static final String AUTH =
      "Basic " + Base64.getEncoder().encodeToString("admin:test-pass".getBytes());

  /** Set by the first test: the medallion runs and Kafka's end offsets after the feed. */
  private static String run1;

  private static String run2;
  private static Map<Integer, Long> endOffsets;

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-lineage");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(d.resolve("dags/medallion.yml"), TestFeeds.MANUAL_MEDALLION_DAG);
      Files.writeString(
          d.resolve("dags/broken.yml"),
          """
          dag_id: broken
          tasks:
            - {task_id: gold, pipeline: build-gold, retries: 0, options: {anomalyWindow: abc}}
          """);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void feed() throws Exception {
    KafkaSettings settings = KafkaSettings.of(KAFKA.bootstrapServers());
    TestFeeds.publishTwentyTradesAnd(
        KAFKA.bootstrapServers(),
        Map.entry("AAPL", "{not json"),
        Map.entry(
            "AAPL",
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-01-05T14:45:00Z\",\"price\":-1.0,\"volume\":5}"),
        Map.entry(
            "MSFT",
            "{\"symbol\":\"MSFT\",\"ts\":\"2026-01-05T14:46:00Z\",\"price\":50.0,\"volume\":-5}"));
    try (Topics topics = Topics.connect(settings)) {
      endOffsets = new TreeMap<>();
      for (Map.Entry<TopicPartition, Long> e : topics.endOffsets().entrySet()) {
        endOffsets.put(e.getKey().partition(), e.getValue());
      }
    }
    assertThat(endOffsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(23);
  }

  @AfterAll
  static void stop() throws Exception {
    COLLECTOR.stop();
    KAFKA.close();
  }

  // ------------------------------------------------------------------ helpers

  private static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + "/api/v1" + path;
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Response get(String path) {
    return APP.client().target(url(path)).request().get();
  }

  private static <T> T getOk(String path, GenericType<T> type) {
    try (Response r = get(path)) {
      assertThat(r.getStatus()).as("GET %s: %s", path, "").isEqualTo(200);
      return r.readEntity(type);
    }
  }

  private static Map<String, Object> errorOf(String path, int status) {
    try (Response r = get(path)) {
      assertThat(r.getStatus()).as("GET %s", path).isEqualTo(status);
      Map<String, Object> body = r.readEntity(new GenericType<>() {});
      assertThat(body).containsEntry("code", status).containsKey("message");
      return body;
    }
  }

  private static String trigger(String dag) {
    try (Response r =
        APP.client()
            .target(url("/dags/" + dag + "/runs"))
            .request()
            .header("Authorization", AUTH)
            .post(Entity.entity("{}", MediaType.APPLICATION_JSON))) {
      assertThat(r.getStatus()).isEqualTo(201);
      return (String) r.readEntity(new GenericType<Map<String, Object>>() {}).get("runId");
    }
  }

  private static String awaitRun(String dag, String runId) {
    return Await.until(
            Duration.ofMinutes(5),
            "run " + runId + " of " + dag + " to end",
            () ->
                getOk("/dags/" + dag + "/runs", new GenericType<List<Map<String, Object>>>() {})
                    .stream()
                    .filter(r -> runId.equals(r.get("runId")))
                    .map(r -> (String) r.get("state"))
                    .findFirst(),
            state -> state.filter(s -> s.equals("success") || s.equals("failed")).isPresent())
        .orElseThrow();
  }

  private static String path(String tableId) {
    return DIR.resolve("lake").resolve(tableId).toString();
  }

  private static Map<String, String> dataset(String namespace, String name, String version) {
    return Map.of("namespace", namespace, "name", name, "version", version);
  }

  private static Map<String, String> table(String tableId, String version) {
    return dataset("file", path(tableId), version);
  }

  private static String kafkaNs() {
    return "kafka://" + KAFKA.bootstrapServers().split(",")[0];
  }

  private static List<Map<String, Object>> lineageOf(String runId) {
    return getOk("/lineage/runs/" + q(runId), new GenericType<>() {});
  }

  // ------------------------------------------------------------------ tests

  @Test
  @Order(1)
  void aMedallionRunRecordsExactVersionsAndOffsets() {
    run1 = trigger("medallion");
    assertThat(awaitRun("medallion", run1)).isEqualTo("success");
    for (String t :
        List.of(
            "bronze/ticks",
            "silver/ticks",
            "silver/quarantine",
            "silver/dq_metrics",
            "gold/bars_1m",
            "gold/bars_1d",
            "gold/anomalies",
            "gold/daily_metrics",
            "gold/bar_state")) {
      assertThat(DeltaTable.at(path(t)).latestVersion()).as(t).isEqualTo(0);
    }

    List<Map<String, Object>> tries = lineageOf(run1);
    assertThat(tries)
        .extracting(t -> t.get("taskId"))
        .containsExactly("ingest_bronze", "refine_silver", "build_gold");
    assertThat(tries).extracting(t -> t.get("outcome")).containsOnly("COMMITTED");
    assertThat(tries).extracting(t -> t.get("tryNumber")).containsOnly(1);
    assertThat(tries).extracting(t -> t.get("dagId")).containsOnly("medallion");

    StringBuilder kafka = new StringBuilder();
    endOffsets.forEach(
        (p, end) ->
            kafka
                .append(kafka.isEmpty() ? "" : ",")
                .append(p)
                .append(":[0,")
                .append(end)
                .append(")"));
    assertThat(tries.get(0).get("inputs"))
        .isEqualTo(List.of(dataset(kafkaNs(), "market.ticks", kafka.toString())));
    assertThat(tries.get(0).get("outputs")).isEqualTo(List.of(table("bronze/ticks", "0")));

    assertThat(tries.get(1).get("inputs")).isEqualTo(List.of(table("bronze/ticks", "0")));
    assertThat(tries.get(1).get("outputs"))
        .isEqualTo(
            List.of(
                table("silver/ticks", "0"),
                table("silver/quarantine", "0"),
                table("silver/dq_metrics", "0")));

    assertThat(tries.get(2).get("inputs")).isEqualTo(List.of(table("silver/ticks", "0")));
    assertThat(tries.get(2).get("outputs"))
        .isEqualTo(
            List.of(
                table("gold/bars_1m", "0"),
                table("gold/bars_1d", "0"),
                table("gold/anomalies", "0"),
                table("gold/daily_metrics", "0"),
                table("gold/bar_state", "0")));
  }

  @Test
  @Order(2)
  void aRunWithNothingNewRecordsWhatItReadAndThatItWroteNothing() {
    run2 = trigger("medallion");
    assertThat(awaitRun("medallion", run2)).isEqualTo("success");
    List<Map<String, Object>> tries = lineageOf(run2);
    assertThat(tries).extracting(t -> t.get("outcome")).containsOnly("NOTHING_NEW");
    assertThat(tries.get(0).get("inputs"))
        .isEqualTo(List.of(dataset(kafkaNs(), "market.ticks", "(nothing new)")));
    assertThat(tries.get(1).get("inputs")).isEqualTo(List.of(table("bronze/ticks", "(0,0]")));
    assertThat(tries.get(2).get("inputs")).isEqualTo(List.of(table("silver/ticks", "(0,0]")));
    assertThat(tries).extracting(t -> t.get("outputs")).containsOnly(List.of());
  }

  @Test
  @Order(3)
  void openLineageEventsOfTheSuccessfulTries() {
    Await.until(
        Duration.ofSeconds(30),
        "12 events (2 runs x 3 tasks x START/COMPLETE)",
        COLLECTOR::size,
        n -> n >= 12);
    String silver = "file|" + path("silver/ticks");
    String bronze = "file|" + path("bronze/ticks");
    List<JsonNode> refine = COLLECTOR.eventsOf("medallion.refine_silver");
    assertThat(refine)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "COMPLETE", "START", "COMPLETE");
    for (JsonNode e : refine) {
      assertThat(e.at("/job/namespace").asText()).isEqualTo("ticklake-test");
      assertThat(e.at("/run/facets/parent/job/name").asText()).isEqualTo("medallion");
      assertThat(e.at("/run/facets/parent/job/namespace").asText()).isEqualTo("ticklake-test");
    }
    JsonNode start = refine.get(0);
    JsonNode complete = refine.get(1);
    assertThat(start.at("/run/runId").asText()).isEqualTo(complete.at("/run/runId").asText());
    assertThat(refine.get(2).at("/run/runId").asText())
        .isNotEqualTo(start.at("/run/runId").asText());
    assertThat(OpenLineageCollector.versions(start.get("inputs")))
        .isEqualTo(Map.of(bronze, "<none>"));
    assertThat(OpenLineageCollector.versions(start.get("outputs")).keySet())
        .containsExactly(
            "file|" + path("silver/dq_metrics"), "file|" + path("silver/quarantine"), silver);
    assertThat(OpenLineageCollector.versions(complete.get("inputs")))
        .isEqualTo(Map.of(bronze, "0"));
    assertThat(OpenLineageCollector.versions(complete.get("outputs")))
        .isEqualTo(
            Map.of(
                silver,
                "0",
                "file|" + path("silver/quarantine"),
                "0",
                "file|" + path("silver/dq_metrics"),
                "0"));
    assertThat(OpenLineageCollector.versions(refine.get(3).get("outputs"))).isEmpty();

    List<JsonNode> ingest = COLLECTOR.eventsOf("medallion.ingest_bronze");
    assertThat(ingest)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "COMPLETE", "START", "COMPLETE");
    assertThat(OpenLineageCollector.versions(ingest.get(1).get("inputs")).keySet())
        .containsExactly(kafkaNs() + "|market.ticks");
    assertThat(OpenLineageCollector.versions(ingest.get(1).get("outputs")))
        .isEqualTo(Map.of(bronze, "0"));

    List<JsonNode> gold = COLLECTOR.eventsOf("medallion.build_gold");
    assertThat(OpenLineageCollector.versions(gold.get(1).get("inputs")))
        .isEqualTo(Map.of(silver, "0"));
    assertThat(OpenLineageCollector.versions(gold.get(1).get("outputs")))
        .hasSize(5)
        .containsValue("0");
  }

  @Test
  @Order(4)
  void aFailingTryEmitsFailAndRecordsNoDatasets() {
    String run = trigger("broken");
    assertThat(awaitRun("broken", run)).isEqualTo("failed");
    List<JsonNode> events =
        Await.until(
            Duration.ofSeconds(30),
            "START and FAIL of broken.gold",
            () -> COLLECTOR.eventsOf("broken.gold"),
            l -> l.size() == 2);
    assertThat(events)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "FAIL");
    JsonNode fail = events.get(1);
    assertThat(fail.at("/run/facets/errorMessage/message").asText()).contains("abc");
    assertThat(fail.at("/run/facets/parent/job/name").asText()).isEqualTo("broken");
    assertThat(OpenLineageCollector.versions(fail.get("inputs")))
        .isEqualTo(Map.of("file|" + path("silver/ticks"), "<none>"));
    assertThat(OpenLineageCollector.versions(fail.get("outputs")).keySet())
        .containsExactlyInAnyOrder(
            "file|" + path("gold/bars_1m"),
            "file|" + path("gold/bars_1d"),
            "file|" + path("gold/anomalies"),
            "file|" + path("gold/daily_metrics"),
            "file|" + path("gold/bar_state"));
    List<Map<String, Object>> tries = lineageOf(run);
    assertThat(tries).hasSize(1);
    assertThat(tries.get(0))
        .containsEntry("outcome", "FAILED")
        .containsEntry("inputs", List.of())
        .containsEntry("outputs", List.of());
  }

  @Test
  @Order(5)
  void producerOfATableVersion() {
    Map<String, Object> p =
        getOk("/lineage/producer?table=silver/ticks&version=0", new GenericType<>() {});
    assertThat(p)
        .containsEntry("dagId", "medallion")
        .containsEntry("runId", run1)
        .containsEntry("taskId", "refine_silver")
        .containsEntry("tryNumber", 1)
        .containsEntry("outcome", "COMMITTED")
        .containsEntry("version", "0")
        .containsEntry("dataset", Map.of("namespace", "file", "name", path("silver/ticks")))
        .containsEntry(
            "job", Map.of("namespace", "ticklake-test", "name", "medallion.refine_silver"));
    Map<String, Object> bronze =
        getOk(
            "/lineage/producer?namespace=file&name=" + q(path("bronze/ticks")) + "&version=0",
            new GenericType<>() {});
    assertThat(bronze).containsEntry("taskId", "ingest_bronze");

    assertThat(errorOf("/lineage/producer?table=silver/ticks&version=7", 404).get("message"))
        .asString()
        .contains("version 7");
    errorOf("/lineage/producer?table=silver/ticks&version=abc", 400);
    errorOf("/lineage/producer?table=silver/ticks", 400);
    errorOf("/lineage/producer?table=silver/nope&version=0", 400);
    errorOf("/lineage/producer?namespace=file&version=0", 400);
  }

  @Test
  @Order(6)
  @SuppressWarnings("unchecked")
  void graphUpstreamAndDownstream() {
    String silver = "dataset:file|" + path("silver/ticks");
    String bronze = "dataset:file|" + path("bronze/ticks");
    String topic = "dataset:" + kafkaNs() + "|market.ticks";
    String ingest = "job:ticklake-test|medallion.ingest_bronze";
    String refine = "job:ticklake-test|medallion.refine_silver";
    String gold = "job:ticklake-test|medallion.build_gold";

    Map<String, Object> up =
        getOk(
            "/lineage/graph?table=silver/ticks&direction=upstream&depth=2", new GenericType<>() {});
    assertThat(up).containsEntry("root", silver).containsEntry("depth", 2);
    assertThat(ids(up)).containsExactly(silver, refine, bronze, ingest, topic);
    assertThat((List<Object>) up.get("edges"))
        .containsExactlyInAnyOrder(
            Map.of("from", refine, "to", silver),
            Map.of("from", bronze, "to", refine),
            Map.of("from", ingest, "to", bronze),
            Map.of("from", topic, "to", ingest));

    Map<String, Object> down =
        getOk(
            "/lineage/graph?table=silver/ticks&direction=downstream&depth=1",
            new GenericType<>() {});
    assertThat(ids(down))
        .containsExactly(
            silver,
            gold,
            "dataset:file|" + path("gold/bars_1m"),
            "dataset:file|" + path("gold/bars_1d"),
            "dataset:file|" + path("gold/anomalies"),
            "dataset:file|" + path("gold/daily_metrics"),
            "dataset:file|" + path("gold/bar_state"));

    Map<String, Object> job =
        getOk("/lineage/graph?job=medallion.refine_silver&depth=1", new GenericType<>() {});
    assertThat(ids(job))
        .containsExactly(
            refine,
            bronze,
            silver,
            "dataset:file|" + path("silver/quarantine"),
            "dataset:file|" + path("silver/dq_metrics"));

    Map<String, Object> kafka =
        getOk(
            "/lineage/graph?namespace="
                + q(kafkaNs())
                + "&name=market.ticks&direction=downstream&depth=1",
            new GenericType<>() {});
    assertThat(ids(kafka)).containsExactly(topic, ingest, bronze);

    errorOf("/lineage/graph?job=medallion.nope", 404);
    errorOf("/lineage/graph?table=gold/features", 404);
    errorOf("/lineage/graph", 400);
    errorOf("/lineage/graph?table=silver/ticks&job=medallion.build_gold", 400);
    errorOf("/lineage/graph?table=silver/ticks&depth=0", 400);
    errorOf("/lineage/graph?table=silver/ticks&depth=x", 400);
    errorOf("/lineage/graph?table=silver/ticks&direction=sideways", 400);
    errorOf("/lineage/graph?job=nodot", 400);
    errorOf("/lineage/runs/no-such-run", 404);
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(Map<String, Object> graph) {
    return ((List<Map<String, Object>>) graph.get("nodes"))
        .stream().map(n -> (String) n.get("id")).toList();
  }

  @Test
  @Order(7)
  @SuppressWarnings("unchecked")
  void dataQualityOfTheSilverBatch() {
    Map<String, Object> dq = getOk("/data-quality?table=silver/ticks", new GenericType<>() {});
    assertThat(dq).containsEntry("table", "silver/ticks");
    List<Map<String, Object>> batches = (List<Map<String, Object>>) dq.get("batches");
    assertThat(batches).hasSize(1);
    Map<String, Object> batch = batches.get(0);
    assertThat(batch)
        .containsEntry("batchId", "bronze/ticks(-1,0]")
        .containsEntry("runId", run1)
        .containsEntry("tableId", "silver/ticks");
    assertThat(batch.get("expectations"))
        .isEqualTo(
            List.of(
                counts("parse", 22, 1, 1),
                counts("valid_symbol", 22, 0, 0),
                counts("ts_not_in_future", 22, 0, 0),
                counts("positive_prices", 21, 1, 1),
                counts("consistent_ohlc", 22, 0, 0),
                counts("non_negative_volume", 21, 1, 1)));
    String at = (String) batch.get("recordedAt");

    Map<String, Object> window =
        getOk("/data-quality?table=silver/ticks&from=" + at + "&limit=5", new GenericType<>() {});
    assertThat((List<?>) window.get("batches")).hasSize(1);
    Map<String, Object> later =
        getOk(
            "/data-quality?table=silver/ticks&from=" + java.time.Instant.parse(at).plusMillis(1),
            new GenericType<>() {});
    assertThat((List<?>) later.get("batches")).isEmpty();
    Map<String, Object> before =
        getOk("/data-quality?table=silver/ticks&to=" + at, new GenericType<>() {});
    assertThat((List<?>) before.get("batches")).isEmpty();

    errorOf("/data-quality", 400);
    errorOf("/data-quality?table=silver/nope", 400);
    errorOf("/data-quality?table=silver/ticks&from=yesterday", 400);
    errorOf("/data-quality?table=silver/ticks&limit=0", 400);
    errorOf("/data-quality?table=silver/ticks&limit=5000", 400);
    errorOf(
        "/data-quality?table=silver/ticks&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400);
  }

  private static Map<String, Object> counts(String name, long passed, long failed, long dropped) {
    return Map.of(
        "expectation", name,
        "action", "drop",
        "passed", (int) passed,
        "failed", (int) failed,
        "dropped", (int) dropped);
  }

  static {
    assertThat(TableCatalog.SILVER_TICKS.expectations()).hasSize(5);
  }
}

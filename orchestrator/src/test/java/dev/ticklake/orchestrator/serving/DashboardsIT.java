package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.serving.ServingApps.Answer;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped dashboards and provisioning files (no Grafana server can be installed here; this
 * stands in for one): every file parses, dashboards use stable uids, the current schemaVersion,
 * core panel types only and datasources by uid through variables that name provisioned plugin
 * types; alert rules reference provisioned datasources only. Then every panel target, every
 * annotation and every alert query runs against the service on the fixture lake (with a finished
 * DAG run and a real Kafka broker), with variables interpolated as the simPod plugin does, and
 * answers the shape its panel draws.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardsIT {
  static final Path DASHBOARDS = Path.of("..", "dashboards");
  static final int SCHEMA_VERSION = 41;
  static final Set<String> CORE_PANELS =
      Set.of("timeseries", "candlestick", "stat", "table", "bargauge", "state-timeline", "row");
  static final Set<String> UIDS =
      Set.of("ticklake-market", "ticklake-pipeline-health", "ticklake-data-quality");
  static final YAMLMapper YAML = new YAMLMapper();

  static final EmbeddedKafka KAFKA = EmbeddedKafka.start();

  static final DropwizardAppExtension<TickLakeConfiguration> APP =
      ServingApps.app(
          ServingFixture.DIR,
          "dashboards",
          ConfigOverride.config("kafka.bootstrapServers", KAFKA.bootstrapServers()));

  @BeforeAll
  static void buildLakeAndTopic() {
    ServingFixture.lake();
    Topics.ensureTopic(KafkaSettings.of(KAFKA.bootstrapServers()).withPartitions(2));
  }

  @AfterAll
  static void stopKafka() {
    KAFKA.close();
  }

  static Stream<Path> files(String folder, String suffix) throws IOException {
    return Files.list(DASHBOARDS.resolve(folder))
        .filter(p -> p.toString().endsWith(suffix))
        .sorted();
  }

  static List<JsonNode> dashboards() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Path p : files(".", ".json").toList()) {
      out.add(ServingApps.JSON.readTree(p.toFile()));
    }
    return out;
  }

  /** Provisioned datasources: uid → plugin type. */
  static Map<String, String> provisionedDatasources() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Path p : files("provisioning/datasources", ".yml").toList()) {
      JsonNode doc = YAML.readTree(p.toFile());
      assertThat(doc.get("apiVersion").asInt()).isEqualTo(1);
      for (JsonNode ds : doc.get("datasources")) {
        out.put(ds.get("uid").asText(), ds.get("type").asText());
      }
    }
    return out;
  }

  @Test
  void filesParseAndReferenceOnlyProvisionedDatasourcesThroughVariables() throws IOException {
    Map<String, String> provisioned = provisionedDatasources();
    assertThat(provisioned)
        .containsEntry("ticklake-json", "simpod-json-datasource")
        .containsEntry("ticklake-infinity", "yesoreyeram-infinity-datasource");
    for (Path p : files("provisioning/dashboards", ".yml").toList()) {
      JsonNode doc = YAML.readTree(p.toFile());
      assertThat(doc.get("providers")).isNotEmpty();
      assertThat(doc.get("providers").get(0).get("type").asText()).isEqualTo("file");
    }
    List<JsonNode> dashboards = dashboards();
    assertThat(dashboards)
        .extracting(d -> d.get("uid").asText())
        .containsExactlyInAnyOrderElementsOf(UIDS);
    for (JsonNode d : dashboards) {
      String uid = d.get("uid").asText();
      assertThat(d.get("schemaVersion").asInt()).as(uid).isEqualTo(SCHEMA_VERSION);
      Map<String, String> dsVariables = new LinkedHashMap<>();
      for (JsonNode v : d.at("/templating/list")) {
        if (v.get("type").asText().equals("datasource")) {
          assertThat(provisioned.values())
              .as(uid + " variable " + v.get("name"))
              .contains(v.get("query").asText());
          dsVariables.put("${" + v.get("name").asText() + "}", v.get("query").asText());
        }
      }
      List<JsonNode> refs = new ArrayList<>();
      for (JsonNode panel : d.get("panels")) {
        assertThat(CORE_PANELS)
            .as(uid + " panel " + panel.get("title"))
            .contains(panel.get("type").asText());
        refs.add(panel.get("datasource"));
        panel.get("targets").forEach(t -> refs.add(t.get("datasource")));
      }
      d.at("/templating/list")
          .forEach(
              v -> {
                if (v.has("datasource")) refs.add(v.get("datasource"));
              });
      d.at("/annotations/list")
          .forEach(
              a -> {
                if (!a.has("builtIn")) refs.add(a.get("datasource"));
              });
      for (JsonNode ref : refs) {
        String dsUid = ref.get("uid").asText();
        if (dsUid.equals("-- Mixed --")) {
          continue; // a mixed panel: each of its targets names its own datasource variable
        }
        assertThat(dsVariables).as(uid + ": datasource " + ref).containsKey(dsUid);
        assertThat(ref.get("type").asText()).isEqualTo(dsVariables.get(dsUid));
      }
    }
    for (Path p : files("provisioning/alerting", ".yml").toList()) {
      JsonNode doc = YAML.readTree(p.toFile());
      for (JsonNode group : doc.get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          assertThat(rule.get("uid").asText()).startsWith("ticklake-");
          for (JsonNode q : rule.get("data")) {
            String dsUid = q.get("datasourceUid").asText();
            assertThat(dsUid.equals("__expr__") || provisioned.containsKey(dsUid))
                .as(rule.get("title") + " " + dsUid)
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void everyPanelTargetAnswersTheShapeItsPanelDraws() throws Exception {
    triggerHelloAndWait();
    String from = "2026-11-19T00:00:00Z";
    Instant toInstant = Instant.now().plus(Duration.ofMinutes(10));
    String to = toInstant.toString();
    long intervalMs = Duration.between(Instant.parse(from), toInstant).toMillis() / 800;
    GrafanaCalls grafana = new GrafanaCalls("http://localhost:" + APP.getLocalPort());
    int checked = 0;
    for (JsonNode d : dashboards()) {
      Map<String, List<String>> vars = variables(d, grafana);
      for (JsonNode panel : d.get("panels")) {
        String what = d.get("uid").asText() + " / " + panel.get("title").asText();
        List<JsonNode> answers = new ArrayList<>();
        for (JsonNode t : panel.get("targets")) {
          if (t.get("datasource").get("type").asText().equals("yesoreyeram-infinity-datasource")) {
            JsonNode rows = infinity(t, vars, from, to);
            assertThat(rows.isArray()).as(what + " (Infinity " + t.get("url") + ")").isTrue();
            checked++;
            continue;
          }
          JsonNode answer =
              grafana.post(
                  "/query",
                  GrafanaCalls.query(from, to, 800, intervalMs, "[" + target(t, vars) + "]"));
          assertThat(answer).as(what + " target " + t.get("target")).isNotEmpty();
          answer.forEach(answers::add);
          checked++;
        }
        assertShape(what, panel, answers);
      }
      for (JsonNode a : d.at("/annotations/list")) {
        if (a.has("target")) {
          JsonNode answer =
              grafana.post(
                  "/query",
                  GrafanaCalls.query(
                      from, to, 800, intervalMs, "[" + target(a.get("target"), vars) + "]"));
          JsonNode table = answer.get(0);
          assertThat(table.get("columns").findValuesAsText("type")).contains("time");
          assertThat(table.get("rows")).as("annotation " + a.get("name")).isNotEmpty();
          checked++;
        }
      }
    }
    for (Path p : files("provisioning/alerting", ".yml").toList()) {
      for (JsonNode group : YAML.readTree(p.toFile()).get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          for (JsonNode q : rule.get("data")) {
            if (!q.get("datasourceUid").asText().equals("__expr__")) {
              JsonNode answer =
                  grafana.post(
                      "/query",
                      GrafanaCalls.query(
                          from, to, 800, intervalMs, "[" + target(q.get("model"), Map.of()) + "]"));
              assertThat(answer).as("alert " + rule.get("title")).isNotEmpty();
              checked++;
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(30);
  }

  /** What each panel type needs from its frames. */
  static void assertShape(String what, JsonNode panel, List<JsonNode> answers) {
    List<JsonNode> tables = answers.stream().filter(a -> a.has("rows")).toList();
    List<JsonNode> series = answers.stream().filter(a -> a.has("datapoints")).toList();
    switch (panel.get("type").asText()) {
      case "candlestick" -> {
        assertThat(tables).as(what).hasSize(1);
        assertThat(tables.get(0).get("columns").findValuesAsText("text"))
            .containsSubsequence("time", "open", "high", "low", "close", "volume");
        assertThat(tables.get(0).get("rows")).as(what).isNotEmpty();
        assertThat(series).as(what + " overlays").hasSize(panel.get("targets").size() - 1);
        series.forEach(
            s -> assertThat(s.get("datapoints")).as(what + " " + s.get("target")).isNotEmpty());
      }
      case "timeseries" -> {
        assertThat(series).as(what).isNotEmpty();
        series.forEach(
            s -> assertThat(s.get("datapoints")).as(what + " " + s.get("target")).isNotEmpty());
      }
      case "table", "bargauge", "stat" -> {
        assertThat(answers).as(what).isNotEmpty();
        for (JsonNode a : answers) {
          assertThat(a.has("rows") ? a.get("rows") : a.get("datapoints")).as(what).isNotEmpty();
        }
        String fields = panel.at("/options/reduceOptions/fields").asText("");
        if (fields.startsWith("/")) {
          Pattern p = Pattern.compile(fields.substring(1, fields.length() - 1));
          List<String> names =
              tables.stream()
                  .flatMap(tb -> tb.get("columns").findValuesAsText("text").stream())
                  .toList();
          assertThat(names).as(what + " fields " + fields).anyMatch(n -> p.matcher(n).matches());
        }
      }
      default -> throw new AssertionError(what + ": unexpected panel type");
    }
  }

  /** Values of the dashboard's query and custom variables: their first option, or all of them. */
  static Map<String, List<String>> variables(JsonNode d, GrafanaCalls grafana) {
    Map<String, List<String>> vars = new LinkedHashMap<>();
    for (JsonNode v : d.at("/templating/list")) {
      String name = v.get("name").asText();
      List<String> options = new ArrayList<>();
      switch (v.get("type").asText()) {
        case "query" ->
            grafana
                .post(
                    "/variable",
                    "{\"payload\": {\"target\": \"" + v.at("/query/query").asText() + "\"}}")
                .forEach(o -> options.add(o.get("value").asText()));
        case "custom" -> options.add(v.at("/current/value").asText());
        default -> {
          continue;
        }
      }
      assertThat(options).as("variable " + name).isNotEmpty();
      vars.put(name, v.path("includeAll").asBoolean() ? options : options.subList(0, 1));
    }
    return vars;
  }

  /** A target as the simPod plugin sends it: variables replaced in its payload. */
  static String target(JsonNode t, Map<String, List<String>> vars) {
    return DashboardTargets.target(t, vars).toString();
  }

  static JsonNode infinity(JsonNode t, Map<String, List<String>> vars, String from, String to) {
    StringBuilder url =
        new StringBuilder("http://localhost:" + APP.getLocalPort() + t.get("url").asText());
    String sep = "?";
    for (JsonNode p : t.at("/url_options/params")) {
      String value =
          p.get("value")
              .asText()
              .replace("${__from}", String.valueOf(Instant.parse(from).toEpochMilli()))
              .replace("${__to}", String.valueOf(Instant.parse(to).toEpochMilli()));
      value = DashboardTargets.replace(value, vars, false);
      url.append(sep)
          .append(p.get("key").asText())
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      sep = "&";
    }
    Answer a = ServingApps.send("GET", url.toString(), null);
    assertThat(a.status()).as(url + ": " + a.text()).isEqualTo(200);
    return a.json();
  }

  static void triggerHelloAndWait() throws Exception {
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    ("admin:" + TestApps.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + APP.getLocalPort() + "/api/v1/dags/hello/runs"))
                    .header("Authorization", basic)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String runId = ServingApps.JSON.readTree(r.body()).get("runId").asText();
    Await.until(
        Duration.ofSeconds(30),
        "run " + runId + " to succeed",
        () ->
            ServingApps.send(
                    "GET",
                    "http://localhost:" + APP.getLocalPort() + "/api/v1/dags/hello/runs",
                    null)
                .json(),
        runs ->
            runs.toString().contains("\"state\":\"success\"")
                && runs.findValuesAsText("runId").contains(runId));
  }
}

package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reads and the login check the web UI added ({@code /dags/{id}/grid}, {@code /runs/{id}},
 * {@code /health}, {@code /session}, {@code /market/symbols}) and how the UI's files are served.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@SuppressWarnings("unchecked")
class UiReadsApiTest {

  private static final Path DIR = dir();
  private static final DropwizardAppExtension<TickLakeConfiguration> APP = TestApps.app(DIR);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-ui-api");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/hello.yml"),
          "dag_id: hello\nschedule: 1h\nstart_date: 2026-01-01T00:00:00Z\npaused: true\n"
              + "tasks:\n  - {task_id: a, pipeline: noop}\n"
              + "  - {task_id: b, pipeline: noop, upstream: [a]}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String base() {
    return "http://localhost:" + APP.getLocalPort();
  }

  private static HttpResponse<String> call(String method, String path, String auth) {
    return Http.send(method, base() + path, null, auth);
  }

  private static <T> T body(HttpResponse<String> r, TypeReference<T> type) throws IOException {
    return JSON.readValue(r.body(), type);
  }

  @Test
  void theGridHasEveryTaskOfTheNewestRunsOldestFirst() throws Exception {
    String auth = Http.basic("admin", TestApps.ADMIN_PASSWORD);
    for (int i = 0; i < 2; i++) {
      assertThat(call("POST", "/api/v1/dags/hello/runs", auth).statusCode()).isEqualTo(201);
    }
    Map<String, Object> grid =
        Await.until(
            Duration.ofSeconds(30),
            "both runs to succeed",
            () -> {
              try {
                return body(call("GET", "/api/v1/dags/hello/grid", null), new TypeReference<>() {});
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            g ->
                ((List<?>) g.get("runs"))
                    .stream()
                        .allMatch(
                            c ->
                                "success"
                                    .equals(
                                        ((Map<?, ?>) ((Map<?, ?>) c).get("run")).get("state"))));
    assertThat(grid.get("taskIds")).isEqualTo(List.of("a", "b"));
    assertThat((String) grid.get("nextRunAt")).endsWith(":00:00Z");
    List<Map<String, Object>> runs = (List<Map<String, Object>>) grid.get("runs");
    assertThat(runs).hasSize(2);
    List<Map<String, Object>> api =
        body(call("GET", "/api/v1/dags/hello/runs", null), new TypeReference<>() {});
    // the API lists newest first; the grid oldest first
    List<Object> gridRunIds =
        runs.stream()
            .map(c -> ((Map<?, ?>) c.get("run")).get("runId"))
            .map(Object.class::cast)
            .toList();
    assertThat(gridRunIds).containsExactly(api.get(1).get("runId"), api.get(0).get("runId"));
    Map<String, Map<String, Object>> cells =
        (Map<String, Map<String, Object>>) runs.get(0).get("tasks");
    assertThat(cells.keySet()).containsExactly("a", "b");
    assertThat(cells.get("a")).containsEntry("state", "success").containsEntry("tryNumber", 1);

    String runId = (String) api.get(0).get("runId");
    Map<String, Object> run =
        body(call("GET", "/api/v1/runs/" + runId, null), new TypeReference<>() {});
    assertThat(run).containsEntry("runId", runId).containsEntry("dagId", "hello");
  }

  @Test
  void badGridLimitsUnknownDagsAndRunsAreJsonErrors() {
    assertThat(call("GET", "/api/v1/dags/hello/grid?limit=0", null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/api/v1/dags/hello/grid?limit=1001", null).statusCode()).isEqualTo(400);
    HttpResponse<String> r = call("GET", "/api/v1/dags/nope/grid", null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"code\":404,\"message\":\"no DAG 'nope'\"}");
    r = call("GET", "/api/v1/runs/nope", null);
    assertThat(r.body()).isEqualTo("{\"code\":404,\"message\":\"no run 'nope'\"}");
  }

  @Test
  void theSessionCheckAcceptsOnlyGoodCredentials() throws Exception {
    assertThat(call("POST", "/api/v1/session", null).statusCode()).isEqualTo(401);
    assertThat(call("POST", "/api/v1/session", Http.basic("admin", "wrong")).statusCode())
        .isEqualTo(401);
    HttpResponse<String> ok =
        call("POST", "/api/v1/session", Http.basic("admin", TestApps.ADMIN_PASSWORD));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(body(ok, new TypeReference<Map<String, Object>>() {}))
        .isEqualTo(Map.of("actor", "user:admin", "scheme", "Basic"));
  }

  @Test
  void healthListsEveryCheckAndSymbolsAreEmptyBeforeGold() throws Exception {
    Map<String, Object> health =
        body(call("GET", "/api/v1/health", null), new TypeReference<>() {});
    assertThat((List<Map<String, Object>>) health.get("checks"))
        .extracting(c -> c.get("name"))
        .containsExactly("database", "deadlocks", "kafka", "lake-root", "scheduler");
    assertThat(health).containsEntry("name", "ticklake");
    assertThat(call("GET", "/api/v1/market/symbols", null).body()).isEqualTo("[]");
  }

  @Test
  void theUiIsServedAtTheRootWithItsHeaders() {
    HttpResponse<String> index = call("GET", "/", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(index.body()).contains("<script type=\"module\" src=\"/ui/js/app.js\"></script>");
    assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow())
        .isEqualTo(WebUi.CONTENT_SECURITY_POLICY);
    assertThat(index.headers().firstValue("Cache-Control")).contains("no-cache");
    HttpResponse<String> js = call("GET", "/ui/js/app.js", null);
    assertThat(js.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
    HttpResponse<String> charts =
        call("GET", "/webjars/echarts/5.3.1/dist/echarts.esm.min.js", null);
    assertThat(charts.statusCode()).isEqualTo(200);
    assertThat(charts.headers().firstValue("Cache-Control")).contains(WebUi.WEBJAR_CACHE);
    assertThat(call("GET", "/ui/nope.js", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/api/v1/version", null).statusCode()).isEqualTo(200);
  }
}

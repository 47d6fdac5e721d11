package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API over the real application, with a one-task DAG. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DagsApiTest {

  private static final Path DIR = dir();

  private static final DropwizardAppExtension<TickLakeConfiguration> APP = TestApps.app(DIR);

  static final String BASIC =
      "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString("admin:test-pass".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-api");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/hello.yml"),
          "dag_id: hello\ndescription: api test\ntasks:\n  - {task_id: a, pipeline: noop}\n"
              + "  - {task_id: b, pipeline: noop, upstream: [a]}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + "/api/v1" + path;
  }

  private static Response post(String path, String body) {
    return APP.client()
        .target(url(path))
        .request()
        .header("Authorization", BASIC)
        .post(Entity.entity(body, MediaType.APPLICATION_JSON));
  }

  @Test
  void triggersARunAndListsItsRunsTasksAndLogs() throws Exception {
    List<Map<String, Object>> dags =
        APP.client().target(url("/dags")).request().get(new GenericType<>() {});
    assertThat(dags).extracting(d -> d.get("dagId")).containsExactly("hello");

    Map<String, Object> run;
    try (Response r = post("/dags/hello/runs", "{\"conf\": {\"symbols\": [\"AAPL\"]}}")) {
      assertThat(r.getStatus()).isEqualTo(201);
      run = r.readEntity(new GenericType<>() {});
    }
    String runId = (String) run.get("runId");
    assertThat(run.get("conf"))
        .as("conf is the object it was given")
        .isEqualTo(Map.of("symbols", List.of("AAPL")));

    List<Map<String, Object>> runs =
        Await.until(
            Duration.ofSeconds(30),
            "run " + runId + " to succeed",
            () ->
                APP.client()
                    .target(url("/dags/hello/runs"))
                    .request()
                    .get(new GenericType<List<Map<String, Object>>>() {}),
            rs -> "success".equals(rs.get(0).get("state")));
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0)).containsEntry("runId", runId).containsEntry("state", "success");

    List<Map<String, Object>> tasks =
        APP.client().target(url("/runs/" + runId + "/tasks")).request().get(new GenericType<>() {});
    assertThat(tasks).extracting(t -> t.get("state")).containsOnly("success");

    String log =
        APP.client().target(url("/runs/" + runId + "/tasks/a/logs/1")).request().get(String.class);
    assertThat(log).contains("start try 1", "noop: nothing to do", "end: success");
    try (Response r =
        APP.client().target(url("/runs/" + runId + "/tasks/a/logs/9")).request().get()) {
      assertThat(r.getStatus()).isEqualTo(404);
    }
  }

  @Test
  void rejectsBadJsonWith400AndBigBodiesWith413AndUnknownDagsWith404() {
    try (Response r = post("/dags/hello/runs", "{not json")) {
      assertThat(r.getStatus()).isEqualTo(400);
    }
    try (Response r = post("/dags/hello/runs", "{\"conf\": [1, 2]}")) {
      assertThat(r.getStatus()).isEqualTo(400);
    }
    try (Response r = post("/dags/hello/runs", "{\"config\": {\"symbols\": [\"AAPL\"]}}")) {
      assertThat(r.getStatus()).isEqualTo(400);
      assertThat(r.readEntity(String.class)).contains("unknown field 'config' (known: conf)");
    }
    String big = "{\"conf\": {\"x\": \"" + "a".repeat(70 * 1024) + "\"}}";
    try (Response r = post("/dags/hello/runs", big)) {
      assertThat(r.getStatus()).isEqualTo(413);
    }
    try (Response r = post("/dags/nope/runs", "{}")) {
      assertThat(r.getStatus()).isEqualTo(404);
    }
  }
}

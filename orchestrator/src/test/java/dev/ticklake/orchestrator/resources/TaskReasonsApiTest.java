package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Why a task is in its state: {@code stateReason}, the events endpoint, and the try's log. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TaskReasonsApiTest {

  private static final DropwizardAppExtension<TickLakeConfiguration> APP = TestApps.app(dir());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WHY =
      "try 1 failed, no try left (1 of 1): java.lang.IllegalStateException: fail pipeline:"
          + " failing try 1 on purpose";

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-reasons");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/broken.yml"),
          "dag_id: broken\ntasks:\n  - {task_id: a, pipeline: fail, retries: 0}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + "/api/v1" + path;
  }

  private static JsonNode get(String path) {
    HttpResponse<String> r = Http.send("GET", url(path), null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aFailedTrySaysWhyInTheTaskTheEventsAndTheLog() throws IOException {
    HttpResponse<String> created =
        Http.send(
            "POST", url("/dags/broken/runs"), "{}", Http.basic("admin", TestApps.ADMIN_PASSWORD));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String runId = JSON.readTree(created.body()).get("runId").asText();

    JsonNode task =
        Await.until(
            Duration.ofSeconds(60),
            "task a to fail",
            () -> get("/runs/" + runId + "/tasks").get(0),
            t -> "failed".equals(t.get("state").asText()));
    assertThat(task.get("stateReason").asText()).isEqualTo(WHY);

    JsonNode events = get("/runs/" + runId + "/tasks/a/events");
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("fromState").asText()).isEqualTo("running");
    assertThat(last.get("toState").asText()).isEqualTo("failed");
    assertThat(last.get("tryNumber").asInt()).isEqualTo(1);
    assertThat(last.get("reason").asText()).isEqualTo(task.get("stateReason").asText());

    String log = Http.send("GET", url("/runs/" + runId + "/tasks/a/logs/1"), null, null).body();
    assertThat(log.lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("[ticklake] ")
        .contains("running -> failed (", "): " + WHY);
  }

  @Test
  void eventsOfAnUnknownTaskAreA404() {
    HttpResponse<String> r = Http.send("GET", url("/runs/nope/tasks/a/events"), null, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no task 'a' in run 'nope'");
  }
}

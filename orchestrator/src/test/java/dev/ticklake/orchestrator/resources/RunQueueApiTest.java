package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 500 manual triggers of a scheduled DAG over the real application: the queue bound refuses what is
 * beyond {@code max_queued_runs}, and the schedule's runs are still created and started, taking
 * turns with the manual ones.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RunQueueApiTest {

  private static final Path DIR = dir();

  /** A token, not a password: 500 calls with a PBKDF2 check each would take half a minute. */
  private static final String AUTH = "Bearer queue-token";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_QUEUED = 20;

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(
          DIR,
          ConfigOverride.config("scheduler.loopInterval", "20ms"),
          ConfigOverride.config("auth.apiTokens", "queue-token"));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-run-queue");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/busy.yml"),
          """
          dag_id: busy
          schedule: 300ms
          start_date: 2026-01-01T00:00:00Z
          max_active_runs: 1
          max_queued_runs: %d
          tasks:
            - {task_id: work, pipeline: sleep, options: {millis: 100}}
          """
              .formatted(MAX_QUEUED));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + "/api/v1" + path;
  }

  /** A run as the API lists it. */
  private record Run(String runId, String type, String state, Instant queuedAt, Instant startedAt) {
    static Run of(JsonNode r) {
      return new Run(
          r.get("runId").asText(),
          r.get("runType").asText(),
          r.get("state").asText(),
          Instant.parse(r.get("queuedAt").asText()),
          r.get("startedAt").isNull() ? null : Instant.parse(r.get("startedAt").asText()));
    }

    boolean waitingAt(Instant t) {
      return !queuedAt.isAfter(t) && (startedAt == null || startedAt.isAfter(t));
    }
  }

  private static List<Run> runs() {
    try {
      List<Run> out = new ArrayList<>();
      HttpResponse<String> r = Http.send("GET", url("/dags/busy/runs?limit=1000"), null, null);
      JSON.readTree(r.body()).forEach(n -> out.add(Run.of(n)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void fiveHundredManualTriggersAreBoundedAndDoNotStarveTheSchedule() throws Exception {
    Await.until(
        Duration.ofSeconds(30),
        "a first scheduled run",
        () -> runs().stream().anyMatch(r -> r.type().equals("scheduled")));
    Instant burst = Instant.now();
    int accepted = 0;
    String refusal =
        "DAG 'busy' has 20 manual runs queued already, its limit (max_queued_runs: 20, set in "
            + DIR.resolve("dags/busy.yml")
            + "): wait until some start, cancel some (ticklake dags cancel RUN_ID), or raise"
            + " max_queued_runs in the DAG file";
    for (int i = 0; i < 500; i++) {
      HttpResponse<String> r = Http.send("POST", url("/dags/busy/runs"), "{}", AUTH);
      if (r.statusCode() == 201) {
        accepted++;
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("code").asInt()).isEqualTo(409);
        assertThat(body.get("message").asText()).isEqualTo(refusal);
      }
    }
    // The queue never held more than the bound: the burst is far faster than runs drain.
    assertThat(accepted).isBetween(MAX_QUEUED, 499);
    assertThat(runs().stream().filter(r -> r.type().equals("manual") && r.state().equals("queued")))
        .hasSizeLessThanOrEqualTo(MAX_QUEUED);

    // Three scheduled runs made after the burst started have started while manual runs still wait.
    List<Run> seen =
        Await.until(
            Duration.ofSeconds(60),
            "three scheduled runs created after the burst to start",
            RunQueueApiTest::runs,
            rs ->
                rs.stream()
                        .filter(r -> r.type().equals("scheduled"))
                        .filter(r -> r.queuedAt().isAfter(burst) && r.startedAt() != null)
                        .count()
                    >= 3);
    assertThat(seen.stream().filter(r -> r.type().equals("manual") && r.state().equals("queued")))
        .isNotEmpty();

    // Turns: a manual run never got a slot right after another manual run while a scheduled run
    // was waiting.
    List<Run> started =
        seen.stream()
            .filter(r -> r.startedAt() != null)
            .sorted(Comparator.comparing(Run::startedAt))
            .toList();
    for (int i = 1; i < started.size(); i++) {
      Run previous = started.get(i - 1);
      Run current = started.get(i);
      if (previous.type().equals("manual") && current.type().equals("manual")) {
        assertThat(
                seen.stream()
                    .filter(r -> r.type().equals("scheduled"))
                    .filter(r -> r.waitingAt(current.startedAt())))
            .as("scheduled runs waiting when manual run %s started", current.runId())
            .isEmpty();
      }
    }

    // The rest of the manual queue is canceled (and the schedule paused) so nothing keeps running.
    assertThat(Http.send("PATCH", url("/dags/busy"), "{\"paused\": true}", AUTH).statusCode())
        .isEqualTo(200);
    for (Run r : runs()) {
      if (r.state().equals("queued") || r.state().equals("running")) {
        assertThat(
                Http.send("POST", url("/runs/" + r.runId() + "/cancel"), null, AUTH).statusCode())
            .isIn(200, 409); // 409: it ended meanwhile
      }
    }
  }
}

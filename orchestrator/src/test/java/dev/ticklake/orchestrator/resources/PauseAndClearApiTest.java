package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pause/unpause, DAG detail and clear over the real application with a running scheduler. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PauseAndClearApiTest {

  private static final Path DIR = dir();
  private static final String AUTH = Http.basic("admin", "test-pass");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(DIR, ConfigOverride.config("scheduler.loopInterval", "20ms"));

  static final String TICK =
      """
      dag_id: tick
      description: %s
      schedule: 300ms
      start_date: 2026-01-01T00:00:00Z
      paused: %s
      tasks:
        - {task_id: a, pipeline: noop}
      """;

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-pause-clear");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(d.resolve("dags/tick.yml"), TICK.formatted("v1", "true"));
      Files.writeString(
          d.resolve("dags/flaky.yml"),
          """
          dag_id: flaky
          tasks:
            - {task_id: f, pipeline: fail, options: {failTimes: 1}}
            - {task_id: g, pipeline: noop, upstream: [f]}
            - {task_id: h, pipeline: noop}
          """);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + "/api/v1" + path;
  }

  private static JsonNode get(String path) throws IOException {
    HttpResponse<String> r = Http.send("GET", url(path), null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Scheduler scheduler() {
    return ((TickLakeApplication) APP.getApplication()).scheduler();
  }

  private static TaskInstanceDao tasks() {
    return new TaskInstanceDao(TestApps.jdbi(DIR));
  }

  private static TaskLogDao logs() {
    return new TaskLogDao(TestApps.jdbi(DIR));
  }

  private static int runCount(String dag) {
    try {
      return get("/dags/" + dag + "/runs?limit=1000").size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean noActiveRun(String dag) {
    try {
      for (JsonNode r : get("/dags/" + dag + "/runs?limit=1000")) {
        String s = r.get("state").asText();
        if (s.equals("queued") || s.equals("running")) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void pauseStopsScheduledRunsAlsoAfterAFileRefreshAndUnpauseResumesThem() throws Exception {
    JsonNode dag = get("/dags/tick");
    assertThat(dag.get("paused").asBoolean()).isTrue(); // paused: true in the file
    assertThat(dag.get("schedule").asText()).isNotBlank();
    assertThat(runCount("tick")).isZero();

    HttpResponse<String> unpause =
        Http.send("PATCH", url("/dags/tick"), "{\"paused\": false}", AUTH);
    assertThat(unpause.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(unpause.body()).get("paused").asBoolean()).isFalse();
    Await.until(Duration.ofSeconds(30), "a scheduled run of tick", () -> runCount("tick") >= 1);

    HttpResponse<String> pause = Http.send("PATCH", url("/dags/tick"), "{\"paused\": true}", AUTH);
    assertThat(pause.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(pause.body()).get("paused").asBoolean()).isTrue();
    Await.until(Duration.ofSeconds(30), "the active tick run to end", () -> noActiveRun("tick"));
    int runs = runCount("tick");
    Instant latest =
        Instant.parse(get("/dags/tick/runs?limit=1").get(0).get("logicalTime").asText());

    // The file changes (and says paused: false); the refresh keeps the paused flag of the database.
    Files.writeString(DIR.resolve("dags/tick.yml"), TICK.formatted("v2", "false"));
    scheduler().refreshDags();
    assertThat(get("/dags/tick").get("description").asText()).isEqualTo("v2");
    assertThat(get("/dags/tick").get("paused").asBoolean()).isTrue();
    // Several intervals become due while paused; scheduler passes create none of them.
    Await.until(
        Duration.ofSeconds(30),
        "two intervals past the last run",
        () -> Instant.now().isAfter(latest.plusMillis(700)));
    scheduler().tick();
    scheduler().tick();
    assertThat(runCount("tick")).isEqualTo(runs);

    assertThat(Http.send("PATCH", url("/dags/tick"), "{\"paused\": false}", AUTH).statusCode())
        .isEqualTo(200);
    Await.until(
        Duration.ofSeconds(30), "a new scheduled run after unpause", () -> runCount("tick") > runs);
    Http.send("PATCH", url("/dags/tick"), "{\"paused\": true}", AUTH);
  }

  @Test
  void badPatchBodiesAre400Or413AndUnknownDagsAre404WithNothingChanged() throws Exception {
    boolean before = get("/dags/flaky").get("paused").asBoolean();
    String[][] cases = {
      {"{\"paused\": \"yes\"}", "400", "paused must be true or false"},
      {"{\"paused\": null}", "400", "paused must be true or false"},
      {"{}", "400", "paused must be true or false"},
      {"{\"paused\": true, \"owner\": \"x\"}", "400", "unknown field 'owner' (known: paused)"},
      {"[true]", "400", "body must be a JSON object"},
      {"{paused: true", "400", "body is not valid JSON: "},
      {"", "400", "body must be {\"paused\": true|false}"},
      {"{\"paused\": true, \"x\": \"" + "a".repeat(70_000) + "\"}", "413", "body over 65536 bytes"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = Http.send("PATCH", url("/dags/flaky"), c[0], AUTH);
      assertThat(r.statusCode())
          .as(c[0].length() > 50 ? "big body" : c[0])
          .isEqualTo(Integer.parseInt(c[1]));
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("code").asInt()).isEqualTo(Integer.parseInt(c[1]));
      assertThat(body.get("message").asText()).startsWith(c[2]);
    }
    assertThat(get("/dags/flaky").get("paused").asBoolean()).isEqualTo(before);

    HttpResponse<String> unknown =
        Http.send("PATCH", url("/dags/nope"), "{\"paused\": true}", AUTH);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("message").asText()).isEqualTo("no DAG 'nope'");
    assertThat(Http.send("GET", url("/dags/nope"), null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void clearOfAFailedTaskRerunsItAndItsDownstreamUntilTheRunSucceeds() throws Exception {
    HttpResponse<String> trigger = Http.send("POST", url("/dags/flaky/runs"), "{}", AUTH);
    assertThat(trigger.statusCode()).isEqualTo(201);
    String runId = JSON.readTree(trigger.body()).get("runId").asText();
    Await.until(Duration.ofSeconds(30), "the run to fail", () -> runState(runId).equals("failed"));
    assertThat(taskStates(runId)).isEqualTo("f=failed g=upstream_failed h=success");
    TaskInstanceDao tasks = tasks();
    int eventsBefore = tasks.events(runId, "f").size();

    // Bad input: 400/404/409/413 and nothing changes.
    String[][] bad = {
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"taskIds\": \"f\"}",
        "400",
        "taskIds must be a non-empty array of task ids (omit it to clear every task)"
      },
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"taskIds\": []}",
        "400",
        "taskIds must be a non-empty array of task ids (omit it to clear every task)"
      },
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"taskIds\": [1]}",
        "400",
        "taskIds must hold task ids (strings)"
      },
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"onlyFailed\": \"yes\"}",
        "400",
        "onlyFailed must be true or false"
      },
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"includeDownstream\": 1}",
        "400",
        "includeDownstream must be true or false"
      },
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"task_ids\": [\"f\"]}",
        "400",
        "unknown field 'task_ids' (did you mean 'taskIds'? known: includeDownstream, onlyFailed, reason, taskIds)"
      },
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"reason\": \"" + "r".repeat(1001) + "\"}",
        "400",
        "reason must be a string of at most 1000 characters"
      },
      {"/dags/flaky/runs/" + runId + "/clear", "not json", "400", "body is not valid JSON: "},
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"taskIds\": [\"f\", \"zz\"]}",
        "404",
        "no task zz in run " + runId + " (tasks: f, g, h)"
      },
      {"/dags/flaky/runs/nope/clear", "{}", "404", "no run 'nope' of DAG 'flaky'"},
      {"/dags/tick/runs/" + runId + "/clear", "{}", "404", "no run '" + runId + "' of DAG 'tick'"},
      {"/dags/nope/runs/" + runId + "/clear", "{}", "404", "no DAG 'nope'"},
      {
        "/dags/flaky/runs/" + runId + "/clear",
        "{\"reason\": \"" + "r".repeat(70_000) + "\"}",
        "413",
        "body over 65536 bytes"
      },
    };
    for (String[] c : bad) {
      HttpResponse<String> r = Http.send("POST", url(c[0]), c[1], AUTH);
      assertThat(r.statusCode())
          .as(c[0] + " " + c[1].substring(0, Math.min(60, c[1].length())))
          .isEqualTo(Integer.parseInt(c[2]));
      assertThat(JSON.readTree(r.body()).get("message").asText()).startsWith(c[3]);
    }
    assertThat(runState(runId)).isEqualTo("failed");
    assertThat(taskStates(runId)).isEqualTo("f=failed g=upstream_failed h=success");
    assertThat(tasks.events(runId, "f")).hasSize(eventsBefore);

    HttpResponse<String> clear =
        Http.send(
            "POST",
            url("/dags/flaky/runs/" + runId + "/clear"),
            "{\"taskIds\": [\"f\"], \"includeDownstream\": true, \"reason\": \"fixed the feed\"}",
            AUTH);
    assertThat(clear.statusCode()).as(clear.body()).isEqualTo(200);
    JsonNode cleared = JSON.readTree(clear.body());
    assertThat(cleared.get("cleared").toString()).isEqualTo("[\"f\",\"g\"]");
    assertThat(cleared.get("run").get("state").asText()).isIn("queued", "running");

    Await.until(
        Duration.ofSeconds(30),
        "the cleared run to succeed",
        () -> runState(runId).equals("success"));
    assertThat(taskStates(runId)).isEqualTo("f=success g=success h=success");
    JsonNode f =
        JSON.readTree(Http.send("GET", url("/runs/" + runId + "/tasks"), null, null).body()).get(0);
    assertThat(f.get("taskId").asText()).isEqualTo("f");
    assertThat(f.get("tryNumber").asInt()).isEqualTo(2);
    // both tries' logs are kept
    assertThat(logs().find(runId, "f", 1).orElseThrow()).contains("failing try 1 on purpose");
    assertThat(logs().find(runId, "f", 2).orElseThrow()).contains("succeeded on try 2");
    List<TaskEvent> events = tasks.events(runId, "f");
    TaskEvent clearEvent =
        events.stream()
            .filter(e -> e.actor().equals("user:admin") && e.fromState() != null)
            .findFirst()
            .orElseThrow();
    assertThat(events.get(0).actor()).isEqualTo("user:admin"); // created by the trigger
    assertThat(clearEvent.fromState().dbName()).isEqualTo("failed");
    assertThat(clearEvent.toState().dbName()).isEqualTo("none");
    assertThat(clearEvent.reason()).isEqualTo("cleared: fixed the feed");
    assertThat(clearEvent.tryNumber()).isEqualTo(1);
    // h was not cleared: it ran once
    assertThat(tasks.find(runId, "h").orElseThrow().tryNumber()).isEqualTo(1);

    // A whole-run clear without a body reruns every task; try numbers keep counting.
    HttpResponse<String> all =
        Http.send("POST", url("/dags/flaky/runs/" + runId + "/clear"), null, AUTH);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(all.body()).get("cleared").toString())
        .isEqualTo("[\"f\",\"g\",\"h\"]");
    Await.until(
        Duration.ofSeconds(30),
        "the run to succeed again",
        () -> runState(runId).equals("success"));
    assertThat(tasks.find(runId, "f").orElseThrow().tryNumber()).isEqualTo(3);
    assertThat(tasks.find(runId, "h").orElseThrow().tryNumber()).isEqualTo(2);
    assertThat(
            tasks.events(runId, "h").stream()
                .filter(e -> e.actor().equals("user:admin") && e.fromState() != null))
        .singleElement()
        .extracting(TaskEvent::reason)
        .isEqualTo("cleared: cleared through the API (whole run)");
  }

  private static String runState(String runId) {
    try {
      for (JsonNode r : get("/dags/flaky/runs?limit=1000")) {
        if (r.get("runId").asText().equals(runId)) {
          return r.get("state").asText();
        }
      }
      return "missing";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String taskStates(String runId) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (JsonNode t : get("/runs/" + runId + "/tasks")) {
      sb.append(sb.length() == 0 ? "" : " ")
          .append(t.get("taskId").asText())
          .append('=')
          .append(t.get("state").asText());
    }
    return sb.toString();
  }
}

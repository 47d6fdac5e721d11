package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cancel of runs and tasks over the real application with a running scheduler. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CancelApiTest {

  private static final Path DIR = dir();
  private static final String AUTH = Http.basic("admin", "test-pass");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(
          DIR,
          ConfigOverride.config("scheduler.loopInterval", "20ms"),
          ConfigOverride.config("scheduler.interruptGrace", "5s"));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-cancel");
      Files.createDirectories(d.resolve("dags"));
      // a blocks until interrupted (10 minutes); retries prove that a canceled try is not retried
      Files.writeString(
          d.resolve("dags/blocker.yml"),
          """
          dag_id: blocker
          max_active_runs: 1
          tasks:
            - {task_id: a, pipeline: sleep, options: {millis: 600000}, retries: 3}
            - {task_id: b, pipeline: noop, upstream: [a]}
          """);
      Files.writeString(
          d.resolve("dags/pair.yml"),
          """
          dag_id: pair
          tasks:
            - {task_id: a, pipeline: sleep, options: {millis: 600000}, retries: 3}
            - {task_id: b, pipeline: noop, upstream: [a]}
            - {task_id: c, pipeline: noop}
          """);
      Files.writeString(
          d.resolve("dags/quick.yml"), "dag_id: quick\ntasks:\n  - {task_id: a, pipeline: noop}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + "/api/v1" + path;
  }

  static JsonNode call(String method, String path, int expectedStatus) {
    HttpResponse<String> r = Http.send(method, url(path), null, AUTH);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expectedStatus);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String trigger(String dag) {
    return call("POST", "/dags/" + dag + "/runs", 201).get("runId").asText();
  }

  static JsonNode run(String dag, String runId) {
    for (JsonNode r : call("GET", "/dags/" + dag + "/runs?limit=1000", 200)) {
      if (r.get("runId").asText().equals(runId)) {
        return r;
      }
    }
    throw new AssertionError("no run " + runId);
  }

  static JsonNode task(String runId, String taskId) {
    for (JsonNode t : call("GET", "/runs/" + runId + "/tasks", 200)) {
      if (t.get("taskId").asText().equals(taskId)) {
        return t;
      }
    }
    throw new AssertionError("no task " + taskId);
  }

  private static String states(String runId) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode t : call("GET", "/runs/" + runId + "/tasks", 200)) {
      sb.append(sb.isEmpty() ? "" : " ")
          .append(t.get("taskId").asText())
          .append('=')
          .append(t.get("state").asText());
    }
    return sb.toString();
  }

  private static TaskInstanceDao tasks() {
    return new TaskInstanceDao(TestApps.jdbi(DIR));
  }

  private static TaskLogDao logs() {
    return new TaskLogDao(TestApps.jdbi(DIR));
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
  }

  @Test
  void cancelOfAQueuedRunKeepsItFromStartingAndOfARunningRunInterruptsItsTry() {
    String running = trigger("blocker");
    Await.until(
        WAIT,
        "try 1 of a to run",
        () -> task(running, "a").get("state").asText(),
        "running"::equals);
    String queued = trigger("blocker"); // max_active_runs 1: it waits
    assertThat(run("blocker", queued).get("state").asText()).isEqualTo("queued");

    JsonNode canceledQueued = call("POST", "/runs/" + queued + "/cancel", 200);
    assertThat(canceledQueued.get("run").get("state").asText()).isEqualTo("canceled");
    assertThat(canceledQueued.get("canceled").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(states(queued)).isEqualTo("a=canceled b=canceled");
    assertThat(task(queued, "a").get("stateReason").asText()).isEqualTo("canceled by user:admin");

    String worker = "ticklake-worker-" + running + "/a#1";
    assertThat(threadAlive(worker)).isTrue();
    JsonNode canceledRunning = call("POST", "/runs/" + running + "/cancel", 200);
    assertThat(canceledRunning.get("run").get("state").asText()).isEqualTo("canceled");
    assertThat(canceledRunning.get("run").get("endedAt").isNull()).isFalse();
    assertThat(canceledRunning.get("canceled").toString()).isEqualTo("[\"a\",\"b\"]");
    Await.until(WAIT, "the worker thread to stop", () -> !threadAlive(worker));
    String log =
        Await.until(
                WAIT,
                "the log of the canceled try",
                () -> logs().find(running, "a", 1),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(log)
        .contains(
            "canceled by user:admin: interrupting the worker thread",
            "TaskCanceledException: canceled by user:admin: the worker thread was interrupted",
            "end: canceled in ");

    // Passes after the cancel start nothing: the queued run never ran, the canceled try is not
    // retried, b never starts.
    TickLakeApplication app = (TickLakeApplication) APP.getApplication();
    app.scheduler().tick();
    app.scheduler().tick();
    assertThat(states(running)).isEqualTo("a=canceled b=canceled");
    assertThat(run("blocker", running).get("state").asText()).isEqualTo("canceled");
    assertThat(run("blocker", queued).get("state").asText()).isEqualTo("canceled");
    assertThat(run("blocker", queued).get("startedAt").isNull()).isTrue();
    assertThat(task(queued, "a").get("tryNumber").asInt()).isZero();
    JsonNode a = task(running, "a");
    assertThat(a.get("tryNumber").asInt()).isEqualTo(1);
    assertThat(a.get("stateReason").asText()).isEqualTo("canceled by user:admin");
    List<TaskEvent> events = tasks().events(running, "a");
    assertThat(events)
        .extracting(e -> e.toState().dbName())
        .containsExactly("none", "scheduled", "queued", "running", "canceled");
    TaskEvent last = events.get(events.size() - 1);
    assertThat(last.actor()).isEqualTo("user:admin");
    assertThat(last.reason()).isEqualTo("canceled by user:admin");
    JsonNode apiEvents = call("GET", "/runs/" + running + "/tasks/a/events", 200);
    assertThat(apiEvents.get(apiEvents.size() - 1).get("reason").asText())
        .isEqualTo("canceled by user:admin");

    // A finished run or task: 409, and nothing changes.
    JsonNode again = call("POST", "/runs/" + running + "/cancel", 409);
    assertThat(again.get("code").asInt()).isEqualTo(409);
    assertThat(again.get("message").asText())
        .isEqualTo(
            "run "
                + running
                + " is already canceled: only queued or running runs can be canceled (clear it to"
                + " run it again)");
    assertThat(call("POST", "/runs/" + running + "/tasks/a/cancel", 409).get("message").asText())
        .isEqualTo(
            "task a of run "
                + running
                + " is already canceled: only unfinished task instances can be canceled (clear it"
                + " to run it again)");
    assertThat(tasks().events(running, "a")).hasSize(events.size());
  }

  @Test
  void cancelOfOneRunningTaskStopsItWithoutRetryAndFailsItsDownstream() {
    String runId = trigger("pair");
    Await.until(WAIT, "a to run", () -> task(runId, "a").get("state").asText(), "running"::equals);
    JsonNode a = call("POST", "/runs/" + runId + "/tasks/a/cancel", 200);
    assertThat(a.get("state").asText()).isEqualTo("canceled");
    assertThat(a.get("tryNumber").asInt()).isEqualTo(1);
    assertThat(a.get("stateReason").asText()).isEqualTo("canceled by user:admin");
    Await.until(
        WAIT, "the run to end", () -> run("pair", runId).get("state").asText(), "failed"::equals);
    assertThat(states(runId)).isEqualTo("a=canceled b=upstream_failed c=success");
    Await.until(
        WAIT, "the worker thread to stop", () -> !threadAlive("ticklake-worker-" + runId + "/a#1"));
    assertThat(task(runId, "a").get("tryNumber").asInt()).isEqualTo(1);
  }

  @Test
  void finishedRunsAre409UnknownIdsAre404AndNoCredentialsAre401() throws Exception {
    String runId = trigger("quick");
    Await.until(
        WAIT,
        "the run to succeed",
        () -> run("quick", runId).get("state").asText(),
        "success"::equals);
    assertThat(call("POST", "/runs/" + runId + "/cancel", 409).get("message").asText())
        .isEqualTo(
            "run "
                + runId
                + " is already success: only queued or running runs can be canceled (clear it to"
                + " run it again)");
    assertThat(call("POST", "/runs/nope/cancel", 404).get("message").asText())
        .isEqualTo("no run 'nope'");
    assertThat(call("POST", "/runs/" + runId + "/tasks/zz/cancel", 404).get("message").asText())
        .isEqualTo("no task 'zz' in run '" + runId + "'");
    assertThat(call("POST", "/runs/nope/tasks/a/cancel", 404).get("message").asText())
        .isEqualTo("no task 'a' in run 'nope'");

    String blocked = trigger("pair");
    for (String path :
        List.of("/runs/" + blocked + "/cancel", "/runs/" + blocked + "/tasks/a/cancel")) {
      HttpResponse<String> r = Http.send("POST", url(path), null, null);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(r.body()).get("code").asInt()).isEqualTo(401);
    }
    assertThat(run("pair", blocked).get("state").asText()).isIn("queued", "running");
    call("POST", "/runs/" + blocked + "/cancel", 200);
  }
}

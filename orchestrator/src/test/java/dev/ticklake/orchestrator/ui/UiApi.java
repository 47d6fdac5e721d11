package dev.ticklake.orchestrator.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The service's REST API and database, as the browser tests check the UI against them. */
final class UiApi {

  static final String AUTH =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  ("admin:" + TestApps.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final DropwizardAppExtension<TickLakeConfiguration> app;

  UiApi(DropwizardAppExtension<TickLakeConfiguration> app) {
    this.app = app;
  }

  String base() {
    return "http://localhost:" + app.getLocalPort();
  }

  private Response get(String path) {
    return app.client().target(base() + path).request().get();
  }

  private <T> T getOk(String apiPath, GenericType<T> type) {
    try (Response r = get("/api/v1" + apiPath)) {
      assertThat(r.getStatus()).as("GET %s", apiPath).isEqualTo(200);
      return r.readEntity(type);
    }
  }

  List<Map<String, Object>> list(String apiPath) {
    return getOk(apiPath, new GenericType<>() {});
  }

  Map<String, Object> dag(String dagId) {
    return getOk("/dags/" + dagId, new GenericType<>() {});
  }

  List<Map<String, Object>> runs(String dagId) {
    return list("/dags/" + dagId + "/runs");
  }

  String log(String runId, String taskId, int tryNumber) {
    return getOk(
        "/runs/" + runId + "/tasks/" + taskId + "/logs/" + tryNumber, new GenericType<>() {});
  }

  /** The try's "status COMMITTED: <summary>" line, the pipeline's own account of what it did. */
  String summaryLine(String runId, String taskId) {
    String mark = "status COMMITTED: ";
    return log(runId, taskId, 1)
        .lines()
        .filter(l -> l.contains(mark))
        .findFirst()
        .map(l -> l.substring(l.indexOf(mark)))
        .orElseThrow(() -> new AssertionError("no summary line in the log of " + taskId));
  }

  String trigger(String dagId) {
    try (Response r =
        app.client()
            .target(base() + "/api/v1/dags/" + dagId + "/runs")
            .request()
            .header("Authorization", AUTH)
            .post(Entity.entity("{}", MediaType.APPLICATION_JSON))) {
      assertThat(r.getStatus()).isEqualTo(201);
      return (String) r.readEntity(new GenericType<Map<String, Object>>() {}).get("runId");
    }
  }

  String awaitRun(String dagId, String runId) {
    return Await.until(
            Duration.ofMinutes(4),
            "run " + runId + " to end",
            () ->
                runs(dagId).stream()
                    .filter(r -> runId.equals(r.get("runId")))
                    .map(r -> (String) r.get("state"))
                    .findFirst(),
            s -> s.filter(x -> Set.of("success", "failed", "canceled").contains(x)).isPresent())
        .orElseThrow();
  }

  /** Waits until the task instance is in {@code state}. */
  void awaitTaskState(String runId, String taskId, String state) {
    Await.until(
        Duration.ofMinutes(2),
        taskId + " of " + runId + " to be " + state,
        () ->
            list("/runs/" + runId + "/tasks").stream()
                .filter(t -> taskId.equals(t.get("taskId")))
                .map(t -> (String) t.get("state"))
                .findFirst(),
        s -> s.filter(state::equals).isPresent());
  }

  /** Waits until the task instance is at {@code tryNumber} and finished; returns its state. */
  String awaitTry(String runId, String taskId, int tryNumber) {
    return Await.until(
            Duration.ofMinutes(2),
            taskId + " try " + tryNumber + " to end",
            () ->
                list("/runs/" + runId + "/tasks").stream()
                    .filter(t -> taskId.equals(t.get("taskId")))
                    .findFirst()
                    .filter(t -> Integer.valueOf(tryNumber).equals(t.get("tryNumber")))
                    .map(t -> (String) t.get("state")),
            s -> s.filter(x -> x.equals("success") || x.equals("failed")).isPresent())
        .orElseThrow();
  }

  /**
   * Writes {@code count} finished manual runs (every fifth failed) with their task instances
   * straight into the service's H2 database: finished runs are never picked up by the scheduler.
   */
  void insertFinishedRuns(String dagId, List<String> tasks, int count) throws Exception {
    String url = app.getConfiguration().getDatabase().getUrl();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.setAutoCommit(false);
      try (PreparedStatement run =
              c.prepareStatement(
                  "INSERT INTO dag_run (run_id, dag_id, logical_time, run_type, state, queued_at,"
                      + " started_at, ended_at) VALUES (?, ?, ?, 'manual', ?, ?, ?, ?)");
          PreparedStatement task =
              c.prepareStatement(
                  "INSERT INTO task_instance (run_id, task_id, state, try_number, max_tries,"
                      + " executor, started_at, ended_at, version) VALUES (?, ?, ?, 1, 1,"
                      + " 'in_process', ?, ?, 1)")) {
        for (int i = 0; i < count; i++) {
          Instant at = t0.plusSeconds(60L * i);
          String runId = dagId + "__manual__" + at;
          String state = i % 5 == 4 ? "failed" : "success";
          Timestamp start = Timestamp.from(at);
          Timestamp end = Timestamp.from(at.plusSeconds(3 * tasks.size()));
          run.setString(1, runId);
          run.setString(2, dagId);
          run.setTimestamp(3, start);
          run.setString(4, state);
          run.setTimestamp(5, start);
          run.setTimestamp(6, start);
          run.setTimestamp(7, end);
          run.addBatch();
          for (int t = 0; t < tasks.size(); t++) {
            task.setString(1, runId);
            task.setString(2, tasks.get(t));
            task.setString(3, t == tasks.size() - 1 ? state : "success");
            task.setTimestamp(4, Timestamp.from(at.plusSeconds(3L * t)));
            task.setTimestamp(5, Timestamp.from(at.plusSeconds(3L * t + 2)));
            task.addBatch();
          }
        }
        run.executeBatch();
        task.executeBatch();
      }
      c.commit();
    }
  }

  /**
   * Bytes of everything the UI can load, as served: the page, every file under {@code ui/} and the
   * chart library. Also checks the cache headers on the way.
   */
  long pageWeight() throws java.io.IOException {
    // The sources: failsafe runs against the packaged jar, whose files are not a folder.
    Path ui = Path.of("src", "main", "resources", "ui");
    List<String> paths = new ArrayList<>(List.of("/"));
    try (Stream<Path> files = Files.walk(ui)) {
      files
          .filter(Files::isRegularFile)
          .forEach(f -> paths.add("/ui/" + ui.relativize(f).toString().replace('\\', '/')));
    }
    String charts = "/webjars/echarts/5.3.1/dist/echarts.esm.min.js";
    paths.add(charts);
    long total = 0;
    for (String p : paths) {
      try (Response r = get(p)) {
        assertThat(r.getStatus()).as("GET %s", p).isEqualTo(200);
        byte[] body = r.readEntity(byte[].class);
        total += body.length;
        if (p.equals(charts)) {
          try (var in =
              UiApi.class.getResourceAsStream("/META-INF/resources/webjars" + p.substring(8))) {
            assertThat(body.length).as("served uncompressed").isEqualTo(in.readAllBytes().length);
          }
        }
        String cache = r.getHeaderString("Cache-Control");
        assertThat(cache)
            .as("Cache-Control of %s", p)
            .isEqualTo(p.equals(charts) ? "public, max-age=31536000, immutable" : "no-cache");
        assertThat(r.getHeaderString("ETag")).as("ETag of %s", p).isNotBlank();
      }
    }
    return total;
  }
}

package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.cli.BackfillCommand;
import dev.ticklake.testing.Await;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.util.JarLocation;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/v1/backfills} and the {@code backfill} CLI against the real application. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BackfillsApiTest {

  private static final Path DIR = dir();
  private static final String AUTH =
      "Basic "
          + Base64.getEncoder().encodeToString("admin:test-pass".getBytes(StandardCharsets.UTF_8));

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(DIR, ConfigOverride.config("backfill.maxRuns", "50"));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-backfill-api");
      Path dags = Files.createDirectories(d.resolve("dags"));
      String hourly = "schedule: 1h\nstart_date: 2026-01-01\npaused: true\ntasks:\n";
      Files.writeString(
          dags.resolve("hourly.yml"),
          "dag_id: hourly\n" + hourly + "  - {task_id: a, pipeline: noop}\n");
      Files.writeString(
          dags.resolve("slowly.yml"),
          "dag_id: slowly\n"
              + hourly
              + "  - {task_id: a, pipeline: sleep, options: {millis: 3000}}\n");
      Files.writeString(
          dags.resolve("cli.yml"), "dag_id: cli\n" + hourly + "  - {task_id: a, pipeline: noop}\n");
      Files.writeString(
          dags.resolve("clifail.yml"),
          "dag_id: clifail\n"
              + hourly
              + "  - {task_id: a, pipeline: fail, options: {nonRetryable: true}}\n");
      Files.writeString(
          dags.resolve("manual.yml"), "dag_id: manual\ntasks:\n  - {task_id: a, pipeline: noop}\n");
      Files.writeString(
          dags.resolve("data.yml"),
          "dag_id: data\nschedule: {datasets: [silver/ticks]}\ntasks:\n  - {task_id: a, pipeline: noop}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String base() {
    return "http://localhost:" + APP.getLocalPort();
  }

  private static String url(String path) {
    return base() + "/api/v1" + path;
  }

  private static Response post(String path, String body) {
    return APP.client()
        .target(url(path))
        .request()
        .header("Authorization", AUTH)
        .post(Entity.entity(body, MediaType.APPLICATION_JSON));
  }

  private static Map<String, Object> get(String path) {
    return APP.client().target(url(path)).request().get(new GenericType<>() {});
  }

  private static List<Map<String, Object>> list(String path) {
    return APP.client().target(url(path)).request().get(new GenericType<>() {});
  }

  private static void assertRejected(String body, int status, String messagePart) {
    try (Response r = post("/backfills", body)) {
      Map<String, Object> error = r.readEntity(new GenericType<>() {});
      assertThat(r.getStatus()).as(body).isEqualTo(status);
      assertThat((String) error.get("message")).as(body).contains(messagePart);
      assertThat(error.get("code")).isEqualTo(status);
    }
  }

  @Test
  void badRequestsAreRejectedWithTheReasonAndCreateNothing() {
    String range = "\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-01T03:00:00Z\"";
    assertRejected("{\"dagId\": \"nope\", " + range + "}", 404, "no DAG 'nope' (loaded: ");
    assertRejected(
        "{\"dagId\": \"hourly\", \"from\": \"2026-01-02T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}",
        400,
        "from (2026-01-02T00:00:00Z) is after to (2026-01-01T00:00:00Z)");
    assertRejected("{\"dagId\": \"manual\", " + range + "}", 400, "has no schedule (manual only)");
    assertRejected("{\"dagId\": \"data\", " + range + "}", 400, "is data-aware");
    assertRejected(
        "{\"dagId\": \"hourly\", \"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-10T00:00:00Z\"}",
        400,
        "holds more than 50 logical times");
    assertRejected(
        "{\"dagId\": \"hourly\", " + range + ", \"maxActiveRuns\": 17}",
        400,
        "maxActiveRuns must be between 1 and 16");
    assertRejected(
        "{\"dagId\": \"hourly\", " + range + ", \"maxActiveRuns\": 0}",
        400,
        "maxActiveRuns must be between 1 and 16");
    assertRejected(
        "{\"dagId\": \"hourly\", " + range + ", \"maxActiveRuns\": \"2\"}",
        400,
        "maxActiveRuns must be an integer");
    assertRejected(
        "{\"dagId\": \"hourly\", " + range + ", \"conf\": [1]}", 400, "conf must be a JSON object");
    assertRejected(
        "{\"dagId\": \"hourly\", " + range + ", \"dag_id\": \"x\"}",
        400,
        "unknown field 'dag_id' (did you mean 'dagId'?");
    assertRejected(
        "{\"dagId\": \"hourly\", \"from\": \"yesterday\", \"to\": \"2026-01-01T03:00:00Z\"}",
        400,
        "from is not an ISO-8601 instant");
    assertRejected(
        "{\"dagId\": \"hourly\", \"from\": \"2026-01-01T00:00:00Z\"}", 400, "to is required");
    assertRejected("{not json", 400, "body is not valid JSON");
    assertRejected("", 400, "body required");
    try (Response r =
        post(
            "/backfills",
            "{\"dagId\": \"hourly\", \"conf\": {\"x\": \"" + "a".repeat(70_000) + "\"}}")) {
      assertThat(r.getStatus()).isEqualTo(413);
    }

    assertThat(list("/backfills?dagId=hourly")).isEmpty();
    assertThat(list("/dags/hourly/runs")).isEmpty();
  }

  @Test
  void createsGetsListsAndCancelsABackfill() throws InterruptedException {
    Map<String, Object> created;
    try (Response r =
        post(
            "/backfills",
            "{\"dagId\": \"slowly\", \"from\": \"2026-01-01T00:00:00Z\","
                + " \"to\": \"2026-01-01T04:00:00Z\", \"conf\": {\"reason\": \"test\"}}")) {
      assertThat(r.getStatus()).isEqualTo(201);
      created = r.readEntity(new GenericType<>() {});
      assertThat(r.getLocation().getPath()).isEqualTo("/api/v1/backfills/" + created.get("id"));
    }
    assertThat(created)
        .containsEntry("dagId", "slowly")
        .containsEntry("from", "2026-01-01T00:00:00Z")
        .containsEntry("to", "2026-01-01T04:00:00Z")
        .containsEntry("maxActiveRuns", 1)
        .containsEntry("plannedRuns", 5)
        .containsEntry("conf", Map.of("reason", "test"))
        .containsEntry("createdBy", "user:admin");
    Number id = (Number) created.get("id");
    assertThat(list("/backfills?dagId=slowly")).extracting(b -> b.get("id")).containsExactly(id);
    assertThat(list("/backfills")).extracting(b -> b.get("id")).contains(id);

    // Wait for the first run to be running, then cancel.
    Map<String, Object> seen =
        Await.until(
            Duration.ofMinutes(2),
            "a running run of backfill " + id,
            () -> get("/backfills/" + id),
            b -> Integer.valueOf(1).equals(((Map<?, ?>) b.get("runs")).get("running")));
    assertThat(seen.get("runs"))
        .isEqualTo(Map.of("queued", 0, "running", 1, "success", 0, "failed", 0, "canceled", 0));
    Map<String, Object> canceled;
    try (Response r = post("/backfills/" + id + "/cancel", "")) {
      assertThat(r.getStatus()).isEqualTo(200);
      canceled = r.readEntity(new GenericType<>() {});
    }
    assertThat(canceled).containsEntry("state", "canceled").containsEntry("nextLogicalTime", null);
    try (Response r = post("/backfills/" + id + "/cancel", "")) {
      assertThat(r.getStatus()).isEqualTo(409);
    }
    try (Response r = APP.client().target(url("/backfills/9999")).request().get()) {
      assertThat(r.getStatus()).isEqualTo(404);
    }
    try (Response r = post("/backfills/9999/cancel", "")) {
      assertThat(r.getStatus()).isEqualTo(404);
    }
  }

  private record CliRun(Optional<Throwable> failure, String out, String err) {}

  private static CliRun ticklake(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    Bootstrap<TickLakeConfiguration> bootstrap = new Bootstrap<>(new TickLakeApplication());
    bootstrap.addCommand(
        new BackfillCommand(stdout, Map.of("TICKLAKE_ADMIN_PASSWORD", "test-pass")::get));
    Optional<Throwable> failure =
        new Cli(new JarLocation(BackfillsApiTest.class), bootstrap, stdout, stderr).run(args);
    return new CliRun(
        failure, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theBackfillCommandCreatesABackfillAndWaitsForItsEnd() {
    CliRun ok =
        ticklake(
            "backfill",
            "cli",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-01T03:00:00Z",
            "--max-active-runs",
            "2",
            "--wait",
            "--poll-interval",
            "100ms",
            "--url",
            base());

    assertThat(ok.failure()).isEmpty();
    String[] lines = ok.out().strip().split("\n");
    assertThat(lines[0])
        .matches(
            "backfill \\d+ of cli created: 4 runs in \\[2026-01-01T00:00:00Z,"
                + " 2026-01-01T03:00:00Z\\], at most 2 at once");
    assertThat(lines[lines.length - 1])
        .matches(
            "backfill \\d+: completed, 4/4 runs ended \\(success 4, failed 0\\), running 0,"
                + " queued 0");
    assertThat(list("/dags/cli/runs"))
        .extracting(r -> r.get("runId"))
        .containsExactly(
            "cli__backfill__2026-01-01T03:00:00Z",
            "cli__backfill__2026-01-01T02:00:00Z",
            "cli__backfill__2026-01-01T01:00:00Z",
            "cli__backfill__2026-01-01T00:00:00Z");

    CliRun failed =
        ticklake(
            "backfill",
            "clifail",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
            "--wait",
            "--poll-interval",
            "100ms",
            "--url",
            base());
    assertThat(failed.failure()).isPresent();
    assertThat(failed.err()).matches("ticklake backfill: backfill \\d+ ended failed\\s*");

    CliRun refused =
        ticklake(
            "backfill",
            "nope",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
            "--url",
            base());
    assertThat(refused.failure()).isPresent();
    assertThat(refused.err()).startsWith("ticklake backfill: not found: no DAG 'nope'");

    CliRun unreachable =
        ticklake(
            "backfill",
            "cli",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
            "--url",
            "http://127.0.0.1:1");
    assertThat(unreachable.failure()).isPresent();
    assertThat(unreachable.err())
        .isEqualTo(
            "ticklake backfill: cannot reach the TickLake server at http://127.0.0.1:1 (connection"
                + " refused); is it running (./ticklake server or ./ticklake demo)? Pass --url for"
                + " another address\n");

    CliRun wrongToken =
        ticklake(
            "backfill",
            "cli",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
            "--token",
            "not-a-token",
            "--url",
            base());
    assertThat(wrongToken.failure()).isPresent();
    assertThat(wrongToken.err())
        .startsWith(
            "ticklake backfill: 401 Unauthorized from "
                + base()
                + ": the credentials were refused. Pass --user/--password (or --token)");
  }
}

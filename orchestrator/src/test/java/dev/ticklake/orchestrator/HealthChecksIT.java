package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.orchestrator.db.Jdbis;
import dev.ticklake.orchestrator.db.Migrations;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import dev.ticklake.orchestrator.health.KafkaHealthCheck;
import dev.ticklake.orchestrator.health.SchedulerHealthCheck;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Health checks and scheduler metrics on the admin port, with a real embedded Kafka. */
@ExtendWith(DropwizardExtensionsSupport.class)
class HealthChecksIT {

  private static final EmbeddedKafka KAFKA = EmbeddedKafka.start();
  private static final Path DIR = dir();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(
          DIR,
          ConfigOverride.config("scheduler.loopInterval", "20ms"),
          ConfigOverride.config("kafka.bootstrapServers", KAFKA.bootstrapServers()));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-health");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/retry.yml"),
          """
          dag_id: retry
          tasks:
            - {task_id: flaky, pipeline: fail, options: {failTimes: 1}, retries: 1, retry_delay: 10ms}
            - {task_id: after, pipeline: noop, upstream: [flaky]}
          """);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopKafka() {
    KAFKA.close();
  }

  private static HttpResponse<String> admin(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getAdminPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyCheckIsHealthyWithKafkaUpAndTheSchedulerRunning() throws Exception {
    HttpResponse<String> r =
        Await.until(
            Duration.ofSeconds(30),
            "healthy checks (the scheduler's first heartbeat)",
            () -> admin("/healthcheck"),
            h -> h.statusCode() == 200);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode checks = JSON.readTree(r.body());
    assertThat(checks.fieldNames())
        .toIterable()
        .contains("database", "lake-root", "scheduler", "kafka", "deadlocks");
    String schedulerId = ((TickLakeApplication) APP.getApplication()).scheduler().schedulerId();
    assertThat(checks.get("scheduler").get("healthy").asBoolean()).isTrue();
    assertThat(checks.get("scheduler").get("message").asText())
        .startsWith("scheduler " + schedulerId + " last heartbeat ")
        .endsWith(" ms ago, timeout 30000 ms)");
    assertThat(checks.get("kafka").get("healthy").asBoolean()).isTrue();
    assertThat(checks.get("kafka").get("message").asText())
        .isEqualTo(
            "Kafka at "
                + KAFKA.bootstrapServers()
                + ": cluster "
                + KAFKA.clusterId()
                + ", 1 broker(s)");
  }

  @Test
  void schedulerMetricsCountRunsAndTries() throws Exception {
    String auth =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    "admin:test-pass".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpResponse<String> trigger =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + APP.getLocalPort() + "/api/v1/dags/retry/runs"))
                    .header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(trigger.statusCode()).isEqualTo(201);
    String runId = JSON.readTree(trigger.body()).get("runId").asText();
    JsonNode metrics =
        Await.until(
            Duration.ofSeconds(30),
            "2 succeeded tries in the metrics",
            () -> JSON.readTree(admin("/metrics").body()),
            m -> m.at("/counters/ticklake.scheduler.tries.succeeded/count").asInt() >= 2);
    assertThat(metrics.at("/counters/ticklake.scheduler.runs.created/count").asInt()).isEqualTo(1);
    assertThat(metrics.at("/counters/ticklake.scheduler.runs.created.manual/count").asInt())
        .isEqualTo(1);
    assertThat(metrics.at("/counters/ticklake.scheduler.runs.created.scheduled/count").asInt())
        .isZero();
    assertThat(metrics.at("/counters/ticklake.scheduler.tries.retried/count").asInt()).isEqualTo(1);
    assertThat(metrics.at("/counters/ticklake.scheduler.tries.succeeded/count").asInt())
        .isEqualTo(2);
    assertThat(metrics.at("/counters/ticklake.scheduler.tries.failed/count").asInt()).isZero();
    assertThat(metrics.at("/gauges/ticklake.scheduler.task_instances.queued/value").isInt())
        .isTrue();
    assertThat(metrics.at("/gauges/ticklake.scheduler.task_instances.running/value").isInt())
        .isTrue();
    assertThat(runId).startsWith("retry__manual__");
  }

  @Test
  void kafkaCheckNamesTheServersAndTheCauseWhenNothingListens() {
    int port = TickLakeApplicationTest.closedPort();
    HealthCheck.Result result =
        new KafkaHealthCheck("127.0.0.1:" + port, Duration.ofMillis(500)).execute();
    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage())
        .startsWith("Kafka at 127.0.0.1:" + port + " did not answer within 500 ms: ")
        .contains("TimeoutException");
  }

  @Test
  void schedulerCheckIsUnhealthyWithoutAHeartbeatOrWithAnOldOne(@TempDir Path tmp)
      throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + tmp.resolve("db") + ";AUTO_SERVER=FALSE");
    ds.setUser("sa");
    Migrations.migrate(ds);
    SchedulerHeartbeatDao beats = new SchedulerHeartbeatDao(Jdbis.create(ds));
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    SchedulerHealthCheck check =
        new SchedulerHealthCheck(Optional.of("s1"), beats, Duration.ofSeconds(30), clock);

    HealthCheck.Result never = check.execute();
    assertThat(never.isHealthy()).isFalse();
    assertThat(never.getMessage())
        .isEqualTo("scheduler s1 has not written a heartbeat yet (not started?)");

    beats.beat("s1", "host", 1, now.minusSeconds(31));
    HealthCheck.Result old = check.execute();
    assertThat(old.isHealthy()).isFalse();
    assertThat(old.getMessage())
        .isEqualTo(
            "scheduler s1 last heartbeat 2026-11-21T11:59:29Z (31000 ms ago, timeout 30000 ms): its"
                + " loop is stopped or stuck; see the service log");

    beats.beat("s2", "host", 2, now); // another scheduler's heartbeat does not count
    assertThat(check.execute().isHealthy()).isFalse();

    beats.beat("s1", "host", 1, now.minusSeconds(30));
    HealthCheck.Result fresh = check.execute();
    assertThat(fresh.isHealthy()).isTrue();
    assertThat(fresh.getMessage())
        .isEqualTo(
            "scheduler s1 last heartbeat 2026-11-21T11:59:30Z (30000 ms ago, timeout 30000 ms)");

    assertThat(
            new SchedulerHealthCheck(Optional.empty(), beats, Duration.ofSeconds(30), clock)
                .execute()
                .isHealthy())
        .isTrue();
    try (var c = ds.getConnection();
        var s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }
}

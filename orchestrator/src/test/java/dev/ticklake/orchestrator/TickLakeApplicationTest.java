package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.health.LakeRootHealthCheck;
import dev.ticklake.orchestrator.resources.VersionResource;
import dev.ticklake.transforms.util.Directories;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.core.GenericType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts the real application from the bundled ticklake.yml on random ports. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TickLakeApplicationTest {

  private static final Path TEMP_DIR = createTempDir();

  private static final int CLOSED_PORT = closedPort();

  /** Does not exist before startup: the health check must create it. */
  private static final Path LAKE_ROOT = TEMP_DIR.resolve("lake");

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      new DropwizardAppExtension<>(
          TickLakeApplication.class,
          TickLakeApplication.DEFAULT_CONFIG,
          TickLakeApplication.configurationSourceProvider(),
          ConfigOverride.config("server.applicationConnectors[0].port", "0"),
          ConfigOverride.config("server.adminConnectors[0].port", "0"),
          ConfigOverride.config("lakeRoot", LAKE_ROOT.toString()),
          // no scheduled medallion runs against a Kafka that is not there
          ConfigOverride.config("scheduler.enabled", "false"),
          ConfigOverride.config("database.url", "jdbc:h2:file:" + TEMP_DIR.resolve("db/ticklake")),
          // no password configured: one is generated, and written here
          ConfigOverride.config(
              "auth.passwordFile", TEMP_DIR.resolve("admin-password.txt").toString()),
          // nothing listens there: the kafka health check is unhealthy
          ConfigOverride.config("kafka.bootstrapServers", "127.0.0.1:" + CLOSED_PORT),
          ConfigOverride.config("kafka.healthCheckTimeout", "1s"));

  @Test
  void versionEndpointNamesTheServiceAndItsBuildVersion() {
    Map<String, String> body =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + "/api/v1/version")
            .request()
            .get(new GenericType<Map<String, String>>() {});

    assertThat(body)
        .containsExactly(
            Map.entry("name", "ticklake"), Map.entry("version", VersionResource.buildVersion()));
    // target/classes holds the filtered resource, so the build version is known here.
    assertThat(body.get("version")).isNotEqualTo(VersionResource.UNKNOWN_VERSION).isNotBlank();
  }

  @Test
  void healthcheckReportsLakeRootHealthyAndCreatesIt() {
    {
      HealthResponse response = healthcheck();
      Map<String, Map<String, Object>> checks = response.checks();

      // 500: Kafka is not reachable here (HealthChecksIT has the all-healthy case)
      assertThat(response.status()).isEqualTo(500);
      assertThat(checks.get(LakeRootHealthCheck.NAME))
          .containsEntry("healthy", true)
          .hasEntrySatisfying(
              "message", message -> assertThat((String) message).contains(LAKE_ROOT.toString()));
      assertThat(LAKE_ROOT).isDirectory();
    }
  }

  @Test
  void kafkaHealthCheckIsUnhealthyWithTheServersAndTheCauseWhenNothingListens() {
    {
      HealthResponse response = healthcheck();
      Map<String, Map<String, Object>> checks = response.checks();
      assertThat(checks.get("kafka")).containsEntry("healthy", false);
      assertThat((String) checks.get("kafka").get("message"))
          .startsWith("Kafka at 127.0.0.1:" + CLOSED_PORT + " did not answer within 1000 ms: ")
          .contains("TimeoutException")
          .endsWith(
              "(is the broker running? check kafka.bootstrapServers /"
                  + " TICKLAKE_KAFKA_BOOTSTRAP_SERVERS)");
      assertThat(checks.get("scheduler"))
          .containsEntry("healthy", true)
          .containsEntry(
              "message",
              "scheduler disabled in this process (scheduler.enabled: false): it serves the API"
                  + " only; runs are scheduled by a scheduler elsewhere on the same database");
    }
  }

  @Test
  void databaseIsMigratedAtStartupAndReportedHealthy() throws Exception {
    {
      HealthResponse response = healthcheck();
      Map<String, Map<String, Object>> checks = response.checks();
      assertThat(checks.get("database")).containsEntry("healthy", true);
    }
    // The driver was inferred from the URL, and Flyway created the schema in the H2 file.
    assertThat(APP.getConfiguration().getDatabase().getDriverClass()).isEqualTo("org.h2.Driver");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + TEMP_DIR.resolve("db/ticklake"), "sa", "");
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT MAX(\"version\") FROM \"flyway_schema_history\"")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(latestMigrationVersion());
    }
  }

  @Test
  void configurationComesFromTheBundledFileWithOverrides() {
    TickLakeConfiguration configuration = APP.getConfiguration();

    assertThat(configuration.getLakeRoot()).isEqualTo(LAKE_ROOT.toString());
    assertThat(configuration.getDagsFolder()).isEqualTo("./dags");
    assertThat(configuration.isLoadShippedDags()).isTrue();
    assertThat(configuration.getAuth().adminUser).isEqualTo("admin");
    assertThat(configuration.getAuth().adminPassword).isEmpty();
    assertThat(configuration.getAuth().apiTokens).isEmpty();
    // neither a password nor a token: one was generated and written to the configured file
    assertThat(TEMP_DIR.resolve("admin-password.txt")).isRegularFile();
    assertThat(configuration.getScheduler().subprocess.jvmOptions).isEqualTo("-Xmx1g");
    assertThat(configuration.getScheduler().subprocess.workers).isEqualTo(2);
    assertThat(configuration.getBackfill().maxRuns).isEqualTo(10_000);
    assertThat(configuration.getBackfill().maxActiveRunsLimit).isEqualTo(16);
    assertThat(APP.getLocalPort()).isPositive().isNotEqualTo(8080);
    assertThat(APP.getAdminPort()).isPositive().isNotEqualTo(8081);
  }

  @AfterAll
  static void deleteTempDir() {
    Directories.deleteRecursively(TEMP_DIR);
  }

  record HealthResponse(int status, Map<String, Map<String, Object>> checks) {}

  /** GET /healthcheck on the admin port, with a timeout that a loaded machine cannot exceed. */
  private static HealthResponse healthcheck() {
    try {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://localhost:" + APP.getAdminPort() + "/healthcheck"))
                      .timeout(java.time.Duration.ofSeconds(60))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return new HealthResponse(
          r.statusCode(),
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readValue(
                  r.body(),
                  new com.fasterxml.jackson.core.type.TypeReference<
                      Map<String, Map<String, Object>>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A port that was free a moment ago, so nothing listens on it. */
  static int closedPort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("ticklake-app-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The highest {@code V<n>__} of the migration files (the module is the working directory). */
  private static String latestMigrationVersion() throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files =
        java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
      return String.valueOf(
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max()
              .orElseThrow());
    }
  }
}

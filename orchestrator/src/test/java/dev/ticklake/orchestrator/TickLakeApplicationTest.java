package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts the real application from the bundled ticklake.yml on random ports. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TickLakeApplicationTest {

  private static final Path TEMP_DIR = createTempDir();

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
          ConfigOverride.config("database.url", "jdbc:h2:file:" + TEMP_DIR.resolve("db/ticklake")));

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
    try (Response response =
        APP.client()
            .target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
            .request()
            .get()) {
      Map<String, Map<String, Object>> checks =
          response.readEntity(new GenericType<Map<String, Map<String, Object>>>() {});

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(checks.get(LakeRootHealthCheck.NAME))
          .containsEntry("healthy", true)
          .hasEntrySatisfying(
              "message", message -> assertThat((String) message).contains(LAKE_ROOT.toString()));
      assertThat(LAKE_ROOT).isDirectory();
    }
  }

  @Test
  void databaseIsMigratedAtStartupAndReportedHealthy() throws Exception {
    try (Response response =
        APP.client()
            .target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
            .request()
            .get()) {
      Map<String, Map<String, Object>> checks =
          response.readEntity(new GenericType<Map<String, Map<String, Object>>>() {});
      assertThat(checks.get("database")).containsEntry("healthy", true);
    }
    // The driver was inferred from the URL, and Flyway created the schema in the H2 file.
    assertThat(APP.getConfiguration().getDatabase().getDriverClass()).isEqualTo("org.h2.Driver");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + TEMP_DIR.resolve("db/ticklake"), "sa", "");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT \"success\" FROM \"flyway_schema_history\" WHERE \"version\" = '1'")) {
      // (not MAX(version): every feature adds its own migration)
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).isTrue();
    }
  }

  @Test
  void configurationComesFromTheBundledFileWithOverrides() {
    TickLakeConfiguration configuration = APP.getConfiguration();

    assertThat(configuration.getLakeRoot()).isEqualTo(LAKE_ROOT.toString());
    assertThat(configuration.getDagsFolder()).isEqualTo("./dags");
    assertThat(configuration.isLoadShippedDags()).isTrue();
    assertThat(APP.getLocalPort()).isPositive().isNotEqualTo(8080);
    assertThat(APP.getAdminPort()).isPositive().isNotEqualTo(8081);
  }

  @AfterAll
  static void deleteTempDir() throws IOException {
    try (Stream<Path> paths = Files.walk(TEMP_DIR)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("ticklake-app-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

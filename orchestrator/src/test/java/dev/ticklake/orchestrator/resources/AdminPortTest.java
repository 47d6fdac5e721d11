package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The admin port and the bind addresses, on the real service: both connectors listen on the
 * loopback interface by default, and admin tasks need the API's credentials ({@link
 * ProtectedReadsTest} for {@code auth.protectReads}). One service per test class: Dropwizard's
 * config overrides are system properties, and two apps in one class leave them set for the next.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPortTest {

  private static final DropwizardAppExtension<TickLakeConfiguration> DEFAULTS =
      TestApps.app(dir("defaults"), ConfigOverride.config("scheduler.enabled", "false"));

  private static final String ADMIN = Http.basic("admin", TestApps.ADMIN_PASSWORD);
  private static final String PROBE_LOGGER = "dev.ticklake.admin-port-test";

  private static Path dir(String name) {
    try {
      Path d = Files.createTempDirectory("ticklake-admin-" + name);
      Files.createDirectories(d.resolve("dags"));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String admin(DropwizardAppExtension<?> app, String path) {
    return "http://127.0.0.1:" + app.getAdminPort() + path;
  }

  private static String api(DropwizardAppExtension<?> app, String path) {
    return "http://127.0.0.1:" + app.getLocalPort() + path;
  }

  @Test
  void bothConnectorsListenOnLoopbackOnlyByDefault() {
    var connectors = DEFAULTS.getEnvironment().getApplicationContext().getServer().getConnectors();
    assertThat(connectors).hasSize(2);
    assertThat(Arrays.stream(connectors).map(c -> ((ServerConnector) c).getHost()))
        .containsOnly("127.0.0.1");
  }

  @Test
  void adminTasksNeedTheApiCredentials() {
    Logger probe = (Logger) LoggerFactory.getLogger(PROBE_LOGGER);
    probe.setLevel(Level.INFO);
    String task = admin(DEFAULTS, "/tasks/log-level?logger=" + PROBE_LOGGER + "&level=OFF");

    HttpResponse<String> anonymous = Http.send("POST", task, null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("\"code\":401").contains("authentication required");
    assertThat(anonymous.headers().allValues("WWW-Authenticate")).isNotEmpty();
    assertThat(Http.send("POST", task, null, Http.basic("admin", "wrong")).statusCode())
        .isEqualTo(401);
    assertThat(probe.getLevel()).isEqualTo(Level.INFO);

    assertThat(Http.send("POST", task, null, ADMIN).statusCode()).isEqualTo(200);
    assertThat(probe.getLevel()).isEqualTo(Level.OFF);
    probe.setLevel(null);
  }

  @Test
  void withOpenReadsAdminPagesLogsAndLineageNeedNoCredentials() {
    assertThat(Http.send("GET", admin(DEFAULTS, "/ping"), null, null).statusCode()).isEqualTo(200);
    assertThat(Http.send("GET", admin(DEFAULTS, "/threads"), null, null).statusCode())
        .isEqualTo(200);
    // 404: past authentication; the empty lake has no such dataset
    assertThat(
            Http.send("GET", api(DEFAULTS, "/api/v1/lineage/graph?table=silver/ticks"), null, null)
                .statusCode())
        .isEqualTo(404);
  }
}

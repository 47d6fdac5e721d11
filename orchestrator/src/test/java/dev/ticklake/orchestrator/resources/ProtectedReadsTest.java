package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code auth.protectReads}: logs, lineage and the admin pages need credentials; probes do not. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProtectedReadsTest {

  private static final DropwizardAppExtension<TickLakeConfiguration> PROTECTED =
      TestApps.app(
          dir(),
          ConfigOverride.config("scheduler.enabled", "false"),
          ConfigOverride.config("auth.protectReads", "true"));

  private static final String ADMIN = Http.basic("admin", TestApps.ADMIN_PASSWORD);

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-protected");
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
  void protectedReadsCloseLogsLineageAndAdminPagesButNotProbes() {
    for (String path : new String[] {"/threads", "/metrics", "/tasks/gc"}) {
      String method = path.startsWith("/tasks") ? "POST" : "GET";
      assertThat(Http.send(method, admin(PROTECTED, path), null, null).statusCode())
          .as(path)
          .isEqualTo(401);
      assertThat(Http.send(method, admin(PROTECTED, path), null, ADMIN).statusCode())
          .as(path)
          .isEqualTo(200);
    }
    assertThat(Http.send("GET", admin(PROTECTED, "/ping"), null, null).statusCode()).isEqualTo(200);
    assertThat(Http.send("GET", admin(PROTECTED, "/healthcheck"), null, null).statusCode())
        .isIn(200, 500); // open either way; 500 only says a check is unhealthy

    String lineage = api(PROTECTED, "/api/v1/lineage/graph?table=silver/ticks");
    assertThat(Http.send("GET", lineage, null, null).statusCode()).isEqualTo(401);
    assertThat(Http.send("GET", lineage, null, ADMIN).statusCode()).isEqualTo(404);
    String log = api(PROTECTED, "/api/v1/runs/no-such-run/tasks/a/logs/1");
    assertThat(Http.send("GET", log, null, null).statusCode()).isEqualTo(401);
    assertThat(Http.send("GET", log, null, ADMIN).statusCode()).isEqualTo(404);
    assertThat(Http.send("GET", api(PROTECTED, "/api/v1/dags"), null, null).statusCode())
        .isEqualTo(200);
  }
}

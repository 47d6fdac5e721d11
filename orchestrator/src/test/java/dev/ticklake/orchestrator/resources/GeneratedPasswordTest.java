package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.auth.AdminCredentials;
import dev.ticklake.orchestrator.db.AdminCredentialDao;
import dev.ticklake.orchestrator.db.Jdbis;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a configured password or token, the first start generates a password, prints it once,
 * stores only its hash and writes it to an owner-only file; the second start reuses it.
 */
class GeneratedPasswordTest {

  @TempDir Path dir;

  private DropwizardTestSupport<TickLakeConfiguration> app() {
    return new DropwizardTestSupport<>(
        TickLakeApplication.class,
        TickLakeApplication.DEFAULT_CONFIG,
        TickLakeApplication.configurationSourceProvider(),
        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
        ConfigOverride.config("server.adminConnectors[0].port", "0"),
        ConfigOverride.config("lakeRoot", dir.resolve("lake").toString()),
        ConfigOverride.config("loadShippedDags", "false"),
        ConfigOverride.config("dagsFolder", dir.resolve("dags").toString()),
        ConfigOverride.config("database.url", "jdbc:h2:file:" + dir.resolve("db/ticklake")),
        ConfigOverride.config("scheduler.enabled", "false"),
        ConfigOverride.config("auth.adminPassword", ""),
        ConfigOverride.config("auth.apiTokens", ""),
        ConfigOverride.config(
            "auth.passwordFile", dir.resolve("data/admin-password.txt").toString()));
  }

  /** Starts the app, returning what it printed to stdout while starting. */
  private static String start(DropwizardTestSupport<TickLakeConfiguration> app) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      app.before();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static int trigger(DropwizardTestSupport<TickLakeConfiguration> app, String auth) {
    return Http.send(
            "POST",
            "http://localhost:" + app.getLocalPort() + "/api/v1/dags/hello/runs",
            "{}",
            auth)
        .statusCode();
  }

  @Test
  void firstStartGeneratesPrintsOnceAndStoresAHashLaterStartsReuseIt() throws Exception {
    Files.createDirectories(dir.resolve("dags"));
    Files.writeString(
        dir.resolve("dags/hello.yml"), "dag_id: hello\ntasks:\n  - {task_id: a, pipeline: noop}\n");
    Path file = dir.resolve("data/admin-password.txt");

    DropwizardTestSupport<TickLakeConfiguration> first = app();
    String password;
    try {
      String out = start(first);
      assertThat(file).exists();
      password = Files.readString(file).strip();
      assertThat(password).hasSize(24).matches("[A-Za-z0-9_-]+");
      assertThat(Files.readString(file)).isEqualTo(password + "\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      // printed exactly once, with the user and where the file is
      assertThat(out.split(password, -1)).hasSize(2);
      assertThat(out)
          .contains(
              "  credentials (POST/PATCH): user admin, password "
                  + password
                  + "  (generated now, shown once; also in "
                  + file.toAbsolutePath()
                  + ")");
      assertThat(((TickLakeApplication) first.getApplication()).adminCredentials().source())
          .isEqualTo(AdminCredentials.Source.GENERATED);

      assertThat(trigger(first, Http.basic("admin", password))).isEqualTo(201);
      assertThat(trigger(first, Http.basic("admin", password + "x"))).isEqualTo(401);
      assertThat(trigger(first, null)).isEqualTo(401);
    } finally {
      first.after();
    }

    // Only a salted PBKDF2 hash is in the database, never the password.
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("db/ticklake"));
    ds.setUser("sa");
    String hash = new AdminCredentialDao(Jdbis.create(ds)).findHash("admin").orElseThrow();
    assertThat(hash).startsWith("pbkdf2-sha256$").doesNotContain(password);

    DropwizardTestSupport<TickLakeConfiguration> second = app();
    try {
      String out = start(second);
      assertThat(out).doesNotContain(password);
      assertThat(out)
          .contains(
              "  credentials (POST/PATCH): user admin, password in "
                  + file.toAbsolutePath()
                  + "\n");
      assertThat(((TickLakeApplication) second.getApplication()).adminCredentials().source())
          .isEqualTo(AdminCredentials.Source.STORED);
      assertThat(Files.readString(file).strip()).isEqualTo(password);
      assertThat(trigger(second, Http.basic("admin", password))).isEqualTo(201);
      assertThat(trigger(second, Http.basic("admin", "nope"))).isEqualTo(401);
    } finally {
      second.after();
    }
    assertThat(new AdminCredentialDao(Jdbis.create(ds)).findHash("admin")).contains(hash);
    try (var c = ds.getConnection();
        var s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }
}

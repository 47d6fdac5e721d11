package dev.ticklake.orchestrator.db;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.db.DataSourceFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database per test, on H2 (a file in a temp dir) or on the PostgreSQL named by
 * {@value #PG_URL_VARIABLE} (environment variable or system property; {@code eval "$(ci/postgres.sh
 * start)"} sets it). Without that URL the PostgreSQL variant is skipped locally and fails in CI
 * ({@code CI=true}), where it must run.
 */
abstract class TestDatabase {

  static final String PG_URL_VARIABLE = "TICKLAKE_TEST_PG_URL";

  abstract String name();

  /** A configuration for a new empty database; {@code tempDir} is this test's temp folder. */
  abstract DataSourceFactory fresh(Path tempDir) throws SQLException;

  /** Drops what {@link #fresh} created outside the temp folder. */
  void cleanUp() throws SQLException {}

  @Override
  public String toString() {
    return name();
  }

  static DataSourceFactory factory(String driver, String url) {
    DataSourceFactory f = new DataSourceFactory();
    f.setDriverClass(driver);
    f.setUrl(url);
    f.setMinSize(1);
    f.setInitialSize(1);
    f.setMaxSize(16);
    return f;
  }

  static final class H2 extends TestDatabase {
    @Override
    String name() {
      return "H2";
    }

    @Override
    DataSourceFactory fresh(Path tempDir) {
      DataSourceFactory f =
          factory(
              "org.h2.Driver",
              "jdbc:h2:file:" + tempDir.resolve("ticklake") + ";AUTO_SERVER=FALSE");
      f.setUser("sa");
      f.setPassword("");
      return f;
    }
  }

  static final class Postgres extends TestDatabase {
    private String adminUrl;
    private String schema;

    @Override
    String name() {
      return "PostgreSQL";
    }

    @Override
    DataSourceFactory fresh(Path tempDir) throws SQLException {
      adminUrl = System.getProperty(PG_URL_VARIABLE, System.getenv(PG_URL_VARIABLE));
      if (adminUrl == null || adminUrl.isBlank()) {
        String why =
            PG_URL_VARIABLE
                + " is not set, so the PostgreSQL variant cannot run; start one with: eval"
                + " \"$(ci/postgres.sh start)\"";
        if ("true".equals(System.getenv("CI"))) {
          fail("CI=true: " + why);
        }
        assumeTrue(false, "Skipped: " + why);
      }
      // One schema per test: tests stay independent without a database per test.
      schema = "t_" + UUID.randomUUID().toString().replace("-", "");
      execute("CREATE SCHEMA " + schema);
      String separator = adminUrl.contains("?") ? "&" : "?";
      return factory("org.postgresql.Driver", adminUrl + separator + "currentSchema=" + schema);
    }

    @Override
    void cleanUp() throws SQLException {
      if (schema != null) {
        execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }

    private void execute(String sql) throws SQLException {
      try (Connection c = DriverManager.getConnection(adminUrl);
          Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }
}

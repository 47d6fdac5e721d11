package dev.ticklake.orchestrator;

import dev.ticklake.orchestrator.db.Jdbis;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The real application for API, CLI and health-check tests: random ports, everything under one
 * temporary folder (lake {@code dir/lake}, DAG files {@code dir/dags}, H2 database {@code dir/db}),
 * no shipped DAGs, and the admin password {@value #ADMIN_PASSWORD}. Later overrides win.
 */
public final class TestApps {

  public static final String ADMIN_PASSWORD = "test-pass";

  private TestApps() {}

  /** A Jdbi over the H2 database of the application of {@link #app}{@code (dir)}. */
  public static Jdbi jdbi(Path dir) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("db/ticklake"));
    ds.setUser("sa");
    return Jdbis.create(ds);
  }

  public static DropwizardAppExtension<TickLakeConfiguration> app(
      Path dir, ConfigOverride... overrides) {
    List<ConfigOverride> all = new ArrayList<>();
    all.add(ConfigOverride.config("server.applicationConnectors[0].port", "0"));
    all.add(ConfigOverride.config("server.adminConnectors[0].port", "0"));
    all.add(ConfigOverride.config("lakeRoot", dir.resolve("lake").toString()));
    all.add(ConfigOverride.config("loadShippedDags", "false"));
    all.add(ConfigOverride.config("dagsFolder", dir.resolve("dags").toString()));
    all.add(ConfigOverride.config("database.url", "jdbc:h2:file:" + dir.resolve("db/ticklake")));
    all.add(ConfigOverride.config("auth.adminPassword", ADMIN_PASSWORD));
    all.addAll(List.of(overrides));
    return new DropwizardAppExtension<>(
        TickLakeApplication.class,
        TickLakeApplication.DEFAULT_CONFIG,
        TickLakeApplication.configurationSourceProvider(),
        all.toArray(ConfigOverride[]::new));
  }
}

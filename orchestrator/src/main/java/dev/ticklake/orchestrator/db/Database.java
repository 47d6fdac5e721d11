package dev.ticklake.orchestrator.db;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * Opens the orchestrator's database inside the Dropwizard service: a pooled data source managed by
 * the service's lifecycle, Flyway migrations applied before anything else uses it, a {@link Jdbi}
 * configured by {@link Jdbis}, and a health check named {@value #NAME} (runs the data source's
 * validation query).
 */
public final class Database {

  /** Name of the data source, its metrics and its health check. */
  public static final String NAME = "database";

  private Database() {}

  /**
   * Migrates and returns a Jdbi. When {@code driverClass} is blank it is inferred from the URL
   * ({@code jdbc:h2:} or {@code jdbc:postgresql:}), so switching databases takes only a URL.
   *
   * @throws IllegalArgumentException if the driver is blank and the URL is of an unknown kind
   */
  public static Jdbi open(Environment environment, DataSourceFactory factory) {
    inferDriver(factory);
    ManagedDataSource dataSource = factory.build(environment.metrics(), NAME);
    Migrations.migrate(dataSource);
    return Jdbis.configure(new JdbiFactory().build(environment, factory, dataSource, NAME));
  }

  static void inferDriver(DataSourceFactory factory) {
    String driver = factory.getDriverClass();
    if (driver != null && !driver.isBlank()) {
      return;
    }
    String url = factory.getUrl() == null ? "" : factory.getUrl().toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:h2:")) {
      factory.setDriverClass("org.h2.Driver");
    } else if (url.startsWith("jdbc:postgresql:")) {
      factory.setDriverClass("org.postgresql.Driver");
    } else {
      throw new IllegalArgumentException(
          "Cannot tell the JDBC driver of database.url '"
              + factory.getUrl()
              + "': use a jdbc:h2: or jdbc:postgresql: URL, or set database.driverClass"
              + " (TICKLAKE_DB_DRIVER)");
    }
  }
}

package dev.ticklake.orchestrator.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the current orchestrator schema with Flyway ({@code classpath:db/migration},
 * {@code V<n>__<what>.sql}, SQL portable to H2 and PostgreSQL).
 *
 * <p>Idempotent: applied migrations are skipped. Fails if an applied migration was edited (checksum
 * mismatch): add a new version instead of changing an old one.
 */
public final class Migrations {

  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /** Applies the pending migrations; returns Flyway's report (versions applied, if any). */
  public static MigrateResult migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(LOCATION)
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }
}

package dev.ticklake.orchestrator.db;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * Sets up {@link Jdbi} the way the DAOs expect, on H2 and PostgreSQL alike.
 *
 * <p>{@link Instant}s are written and read as {@code TIMESTAMP WITH TIME ZONE} through {@link
 * OffsetDateTime} in UTC, so neither the JVM's nor the database session's time zone can shift them;
 * they are truncated to microseconds, the precision of both databases, so a value reads back
 * exactly as written.
 */
public final class Jdbis {

  private Jdbis() {}

  /** A Jdbi over {@code dataSource}, configured with {@link #configure}. */
  public static Jdbi create(DataSource dataSource) {
    return configure(Jdbi.create(dataSource));
  }

  /** Registers the time mapping on {@code jdbi} (e.g. one built by Dropwizard); returns it. */
  public static Jdbi configure(Jdbi jdbi) {
    jdbi.registerArgument(new InstantArgumentFactory());
    jdbi.registerColumnMapper(
        Instant.class,
        (rs, column, ctx) -> {
          OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
          return t == null ? null : t.toInstant();
        });
    return jdbi;
  }

  /** The precision both databases store. */
  static Instant truncate(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** True if {@code e} or a cause is a unique-key violation (SQLState 23505 on H2 and PG). */
  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {
    InstantArgumentFactory() {
      super(Types.TIMESTAMP_WITH_TIMEZONE);
    }

    @Override
    protected Argument build(Instant value, ConfigRegistry config) {
      OffsetDateTime utc = truncate(value).atOffset(ZoneOffset.UTC);
      return (position, statement, ctx) -> statement.setObject(position, utc);
    }
  }
}

package dev.ticklake.orchestrator.db;

import java.util.Locale;

/** Why a DAG run exists. Stored in lower case. */
public enum RunType {
  SCHEDULED,
  MANUAL,
  BACKFILL;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunType fromDbName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return dbName();
  }
}

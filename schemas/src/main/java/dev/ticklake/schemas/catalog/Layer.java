package dev.ticklake.schemas.catalog;

/** The medallion layer of a table; its lower-case name is the first segment of the table id. */
public enum Layer {
  /** Raw records as received, append-only. */
  BRONZE,
  /** Typed, validated, de-duplicated records. */
  SILVER,
  /** Aggregates, indicators, ML features and results. */
  GOLD;

  /** The id and path prefix, e.g. {@code "silver"}. */
  public String directory() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

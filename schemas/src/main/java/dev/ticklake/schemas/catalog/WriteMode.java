package dev.ticklake.schemas.catalog;

/** How a pipeline writes a table. Every mode commits data and source position in one commit. */
public enum WriteMode {
  /**
   * Only adds rows. Key columns, if declared, name a row's identity, which the exactly-once
   * contract keeps unique; no merge runs.
   */
  APPEND,
  /** Inserts rows or replaces the existing row with the same key; requires key columns. */
  UPSERT,
  /**
   * Rewrites every partition the batch touches, as a whole, in one commit; requires partition
   * columns. Re-running a batch gives the same table.
   */
  REPLACE_PARTITIONS
}

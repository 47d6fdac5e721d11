package dev.ticklake.schemas.catalog;

/** How a batch lands in a table. */
public enum WriteMode {
  /** Rows are added; nothing existing changes. */
  APPEND,
  /** Rows replace existing rows with the same key columns, in the affected partitions only. */
  UPSERT,
  /** The partitions present in the batch are replaced atomically by the batch's rows. */
  REPLACE_PARTITIONS
}

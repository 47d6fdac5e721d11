package dev.ticklake.transforms.delta;

import java.util.List;

/**
 * A Beam IO for Delta Lake tables: Parquet data files written in parallel by workers, and one Delta
 * commit per batch that carries the batch's data and its source position.
 *
 * <h2>Writing</h2>
 *
 * <pre>{@code
 * rows.apply(DeltaIO.write()
 *     .to(DeltaTableSpec.at("lake/silver/ticks")
 *         .withSchema(schema)                   // or taken from the input's AvroCoder
 *         .withPartitionColumns(List.of("trade_date"))
 *         .withWriteMode(WriteMode.UPSERT)
 *         .withKeyColumns(List.of("symbol", "ts", "source")))
 *     .withTransaction("silver/ticks:bronze/ticks", 42));
 * }</pre>
 *
 * <p>Guarantees: a batch is bounded and becomes visible atomically in exactly one commit, or not at
 * all. With {@link DeltaWrite#withTransaction}, the commit also records {@code
 * SetTransaction(appId, version)}; a batch whose versions are already in the log commits nothing
 * and reports {@link CommitOutcome.Status#SKIPPED}, so re-running a batch is idempotent. Files of a
 * failed or killed batch are never referenced by the log (vacuum removes them). Modes: {@code
 * APPEND} (default), {@code REPLACE_PARTITIONS} (the partitions present in the batch are replaced
 * atomically) and {@code UPSERT} (rows replace rows with equal key columns; only files holding such
 * keys are rewritten). Schemas are enforced (a mismatch fails with the table, column, both types
 * and the fix); additive evolution with new nullable columns is opt-in. Concurrent writers are
 * serialised by optimistic concurrency: commits that do not conflict are retried with backoff; a
 * commit that changed the partitions this batch replaces or merged into fails the batch with {@link
 * DeltaConflictException} (retry it as a whole with {@link DeltaBatchRetry}).
 *
 * <h2>Reading</h2>
 *
 * <p>{@link #read()} emits the rows of the latest snapshot, of a version or timestamp, or the rows
 * added by commits in a version range {@code (from, to]} (the incremental read of every hop). The
 * file list is taken when the pipeline runs; files are read in parallel with parquet-avro. {@link
 * DeltaRead#withPartitionFilter} prunes the file list by partition values; {@link
 * #readPartitions()} reads the partitions named by a PCollection (pruning decided inside the
 * pipeline). {@link DeltaWrite#withPartitionsToReplace} lets a {@code REPLACE_PARTITIONS} batch
 * empty partitions it has no rows for.
 *
 * <p>Several tables written by one batch (Silver: quarantine, metrics, ticks) commit through {@link
 * #commitInOrder}: one step, one commit per table, in order, after every file is written.
 *
 * <p>The API takes a {@link DeltaTableSpec}, never a catalog: any Beam user builds one by hand.
 *
 * <p>Defaults: snappy Parquet, target file size 128 MiB, at most 64 open files per worker, 10
 * commit attempts with backoff from 100 ms.
 */
public final class DeltaIO {
  /** The namespace of every metric DeltaIO reports ({@code <table>.<metric>}). */
  public static final String METRICS_NAMESPACE = "deltaio";

  private DeltaIO() {}

  /** A write of a bounded batch of rows; configure with {@code to(spec)} and the withers. */
  public static DeltaWrite write() {
    return DeltaWrite.create();
  }

  /** A read of a table's snapshot (latest by default) or of a version range. */
  public static DeltaRead read() {
    return DeltaRead.create();
  }

  /**
   * A read of the snapshot's files in the partitions named by the input elements (partition pruning
   * decided inside the pipeline, e.g. from the symbols a batch touched).
   */
  public static ReadPartitions readPartitions() {
    return ReadPartitions.create();
  }

  /**
   * Commits the data files of several writes of one batch in a single step, one Delta commit per
   * table, in the order of {@code writes}: see {@link CommitInOrder} for the guarantees. Writes
   * other than {@code APPEND} need {@link DeltaWrite#withBaseVersion}.
   */
  public static CommitInOrder commitInOrder(List<DeltaWrite> writes) {
    return CommitInOrder.of(writes);
  }
}

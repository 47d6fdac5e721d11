package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.InsertOnlyMerge;
import dev.ticklake.transforms.util.EncodedChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * The worker side of {@link DedupeAndInsertNew}: per bucket, keeps the row first in Bronze for each
 * key, and appends the kept rows in slices of at least {@code rowsPerFile} rows through one {@link
 * InsertOnlyMerge.Appender} per bundle; outputs the closed files, and passes on the quarantine rows
 * and counts that travelled with the rows.
 */
final class KeepFirstAndInsertNewFn
    extends DoFn<KV<Integer, Iterable<EncodedChunk>>, KV<String, DataFileAction>> {
  private static final long serialVersionUID = 1L;
  private static final String TABLE = TableCatalog.SILVER_TICKS.id();
  private final InsertOnlyMerge merge;
  private final long rowsPerFile;
  private final Counter uniqueRows = Metrics.counter(RefineSilver.METRICS, "uniqueRows");

  KeepFirstAndInsertNewFn(InsertOnlyMerge merge, long rowsPerFile) {
    this.merge = merge;
    this.rowsPerFile = rowsPerFile;
  }

  /** Open files of the bundle: the buckets a worker handles share one file per partition. */
  private transient InsertOnlyMerge.Appender appender;

  /** Files the appender closed, not yet output. */
  private transient List<DataFileAction> closed;

  /**
   * De-duplicated rows of this bundle's buckets not merged yet: merged in slices of at least {@code
   * rowsPerFile} rows, because each merge checks its keys against the existing files that its key
   * range overlaps (a replay overlaps them all): per slice, not per small bucket.
   */
  private transient List<GenericRecord> pending;

  /**
   * The bucket's first row per key, cleared after each bucket: one map per worker keeps the
   * capacity it grew to, instead of growing a new map bucket after bucket.
   */
  private transient Map<SilverTick.Key, SilverTick> first;

  @StartBundle
  public void startBundle() {
    if (first == null) {
      first = new HashMap<>();
    }
    closed = new ArrayList<>();
    pending = new ArrayList<>();
    appender = merge.appender(closed::add, rowsPerFile);
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<EncodedChunk>> bucket, MultiOutputReceiver out)
      throws IOException {
    keepFirstPerKey(bucket.getValue(), out);
    if (first.isEmpty()) {
      return;
    }
    uniqueRows.inc(first.size());
    for (SilverTick t : first.values()) {
      pending.add(t.toRecord());
    }
    first.clear();
    if (pending.size() >= rowsPerFile) {
      mergePending(out.get(DedupeAndInsertNew.SILVER_FILES));
    }
  }

  /**
   * Fills {@link #first} with the bucket's first row per key; hands the quarantine rows and counts
   * that travelled with the rows straight on.
   */
  private void keepFirstPerKey(Iterable<EncodedChunk> chunks, MultiOutputReceiver out)
      throws IOException {
    first.clear();
    for (EncodedChunk chunk : chunks) {
      for (ValidationOutput v : chunk.decode(ValidationOutput.CODER)) {
        SilverTick t = v.tick();
        if (t != null) {
          first.merge(t.keyValue(), t, (kept, next) -> next.precedes(kept) ? next : kept);
        } else if (v.quarantinedRow() != null) {
          out.get(ValidateTicks.QUARANTINED).output(v.quarantinedRow());
        } else {
          out.get(ValidateTicks.COUNTS).output(v.dqCounts());
        }
      }
    }
  }

  /** Merges the pending slice and outputs the files the appender closed meanwhile. */
  private void mergePending(OutputReceiver<KV<String, DataFileAction>> files) throws IOException {
    appender.merge(pending);
    pending = new ArrayList<>();
    closed.forEach(f -> files.output(KV.of(TABLE, f)));
    closed.clear();
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException {
    if (!pending.isEmpty()) {
      appender.merge(pending);
    }
    pending = null;
    appender.finish();
    for (DataFileAction f : closed) {
      c.output(
          DedupeAndInsertNew.SILVER_FILES,
          KV.of(TABLE, f),
          GlobalWindow.INSTANCE.maxTimestamp(),
          GlobalWindow.INSTANCE);
    }
    closed = null;
    appender = null;
  }
}

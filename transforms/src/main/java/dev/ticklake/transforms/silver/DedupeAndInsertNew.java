package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.InsertOnlyMerge;
import dev.ticklake.transforms.util.EncodedChunk;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The validated batch → new {@code silver/ticks} data files, in one keyed step. Input: the output
 * of {@link ValidateTicks#keyedByBucket} (chunks of one bucket), where valid rows are spread over
 * the buckets by a hash of their key (symbol, ts, source), so every copy of a key lands in one
 * bucket. Each bucket keeps, per key, the row first in Bronze (lowest Kafka partition, then offset:
 * {@link SilverTick#precedes}, independent of runner and bundling), then appends the rows whose key
 * Silver does not hold yet ({@link InsertOnlyMerge}: existing files are pruned by their key
 * statistics, overlapping ones read by key columns only, nothing rewritten).
 *
 * <p>Outputs: {@link #SILVER_FILES} (the files, tagged with the table's name for {@code
 * DeltaIO.commitInOrder}), and the quarantine rows ({@link ValidateTicks#QUARANTINED}) and bundle
 * counts ({@link ValidateTicks#COUNTS}) that travelled through the shuffle with the valid rows.
 * These three outputs are small (a few files, normally few quarantine rows), so splitting them here
 * costs nothing, unlike splitting the validation step's output (see {@link ValidationOutput}).
 *
 * <p>This replaces a de-duplicating shuffle of every row followed by a merge that grouped the whole
 * batch by partition (one key per trade date, so one thread merged and rewrote a day's data).
 */
final class DedupeAndInsertNew
    extends PTransform<PCollection<KV<Integer, EncodedChunk>>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** The new {@code silver/ticks} files, keyed by the table's id. */
  static final TupleTag<KV<String, DataFileAction>> SILVER_FILES = new TupleTag<>("silverFiles") {};

  private final InsertOnlyMerge merge;
  private final long rowsPerFile;

  /**
   * @param rowsPerFile a worker merges its buckets' rows in slices of at least this many rows, and
   *     closes a file after the slice that brings it to this many: a big batch still lands in
   *     several files (later reads spread over workers file by file), and existing files are
   *     checked for keys once per slice, not once per small bucket
   */
  DedupeAndInsertNew(InsertOnlyMerge merge, long rowsPerFile) {
    this.merge = merge;
    this.rowsPerFile = rowsPerFile;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<Integer, EncodedChunk>> checked) {
    PCollectionTuple out =
        checked
            .apply("GroupByBucket", GroupByKey.create())
            .apply(
                "KeepFirstAndInsertNew",
                ParDo.of(new KeepFirstAndInsertNewFn(merge, rowsPerFile))
                    .withOutputTags(
                        SILVER_FILES,
                        TupleTagList.of(ValidateTicks.QUARANTINED).and(ValidateTicks.COUNTS)));
    out.get(SILVER_FILES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DataFileAction.class)));
    out.get(ValidateTicks.QUARANTINED)
        .setCoder(AvroCoder.of(TableCatalog.SILVER_QUARANTINE.schema()));
    out.get(ValidateTicks.COUNTS).setCoder(DqCounts.CODER);
    return out;
  }

  /** The bucket of a (well-mixed) key hash ({@link SilverTick#keyHash}): the same everywhere. */
  static int bucketOf(int keyHash, int buckets) {
    return Math.floorMod(keyHash, buckets);
  }
}

package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.InsertOnlyMerge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The batch's valid rows → new {@code silver/ticks} data files, in one keyed step: rows are spread
 * over {@code buckets} buckets by a hash of their key (symbol, ts, source), so every copy of a key
 * lands in one bucket; each bucket keeps, per key, the row first in Bronze (lowest Kafka partition,
 * then offset: {@link SilverTick#precedes}, independent of runner and bundling), then appends the
 * rows whose key Silver does not hold yet ({@link InsertOnlyMerge}: existing files are pruned by
 * their key statistics, overlapping ones read by key columns only, nothing rewritten). Output: the
 * files, tagged with the table's name for {@code DeltaIO.commitInOrder}.
 *
 * <p>This replaces a de-duplicating shuffle of every row followed by a merge that grouped the whole
 * batch by partition (one key per trade date, so one thread merged and rewrote a day's data).
 */
final class DedupeAndInsertNew
    extends PTransform<PCollection<SilverTick>, PCollection<KV<String, DataFileAction>>> {
  private static final long serialVersionUID = 1L;

  private final InsertOnlyMerge merge;
  private final int buckets;

  DedupeAndInsertNew(InsertOnlyMerge merge, int buckets) {
    this.merge = merge;
    this.buckets = buckets;
  }

  @Override
  public PCollection<KV<String, DataFileAction>> expand(PCollection<SilverTick> ticks) {
    return ticks
        .apply("KeyByBucket", ParDo.of(new BucketFn(buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), SilverTick.CODER))
        .apply("GroupByBucket", GroupByKey.create())
        .apply("KeepFirstAndInsertNew", ParDo.of(new InsertFn(merge)));
  }

  /** The bucket of a key: a deterministic hash, the same on every worker and runner. */
  static int bucketOf(String key, int buckets) {
    int h = key.hashCode() * 0x9E3779B9;
    return Math.floorMod(h ^ (h >>> 16), buckets);
  }

  private static final class BucketFn extends DoFn<SilverTick, KV<Integer, SilverTick>> {
    private static final long serialVersionUID = 1L;
    private final int buckets;

    BucketFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element SilverTick t, OutputReceiver<KV<Integer, SilverTick>> out) {
      out.output(KV.of(buckets == 1 ? 0 : bucketOf(t.key(), buckets), t));
    }
  }

  private static final class InsertFn
      extends DoFn<KV<Integer, Iterable<SilverTick>>, KV<String, DataFileAction>> {
    private static final long serialVersionUID = 1L;
    private static final String TABLE = TableCatalog.SILVER_TICKS.id();
    private final InsertOnlyMerge merge;
    private final Counter uniqueRows = Metrics.counter(RefineSilver.METRICS, "uniqueRows");

    InsertFn(InsertOnlyMerge merge) {
      this.merge = merge;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<SilverTick>> bucket,
        OutputReceiver<KV<String, DataFileAction>> out)
        throws IOException {
      Map<String, SilverTick> first = new HashMap<>();
      for (SilverTick t : bucket.getValue()) {
        first.merge(t.key(), t, (kept, next) -> next.precedes(kept) ? next : kept);
      }
      uniqueRows.inc(first.size());
      List<GenericRecord> rows = new ArrayList<>(first.size());
      for (SilverTick t : first.values()) {
        rows.add(t.toRecord());
      }
      merge.merge(rows, f -> out.output(KV.of(TABLE, f)));
    }
  }
}

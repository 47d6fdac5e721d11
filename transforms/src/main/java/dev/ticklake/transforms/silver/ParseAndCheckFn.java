package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.MalformedEventException;
import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.schemas.event.MarketEventCodec;
import dev.ticklake.transforms.expectations.CompiledRule;
import dev.ticklake.transforms.util.BucketKeys;
import dev.ticklake.transforms.util.EncodedChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * The worker side of {@link ValidateTicks}: parses each Bronze record, evaluates every expectation
 * on it, and collects the outputs ({@link ValidationOutput}s: valid rows, quarantine rows, the
 * bundle's counts) per key bucket into {@link EncodedChunk}s of at most {@link
 * ValidateTicks#CHUNK_ROWS}, keyed by the bucket's shuffle key. A {@code fail} expectation throws
 * {@link ExpectationFailedException}.
 */
final class ParseAndCheckFn extends DoFn<BronzeRecord, KV<Integer, EncodedChunk>> {
  private static final long serialVersionUID = 1L;
  private final List<Expectation> expectations;
  private final SilverBatch batch;
  private final int buckets;
  private final BucketKeys bucketKeys;
  private final Counter bronzeRows = Metrics.counter(RefineSilver.METRICS, "bronzeRows");
  private final Counter validRows = Metrics.counter(RefineSilver.METRICS, "validRows");
  private final Counter quarantined = Metrics.counter(RefineSilver.METRICS, "quarantinedRows");
  private final Counter parseFailed =
      Metrics.counter(RefineSilver.METRICS, "expectation.parse.failed");

  private transient List<CompiledRule<SilverTick>> rules;
  private transient ExpectationAction[] actions;
  private transient Counter[] failedCounters;
  private transient Counter[] passedCounters;
  private transient DqCounts counts;
  private transient long valid;
  private transient Schema quarantineSchema;

  ParseAndCheckFn(
      List<Expectation> expectations, SilverBatch batch, int buckets, BucketKeys bucketKeys) {
    this.expectations = expectations;
    this.batch = batch;
    this.buckets = buckets;
    this.bucketKeys = bucketKeys;
  }

  /** The shuffle key of each bucket ({@link BucketKeys}), known once the run's options are. */
  private transient int[] keys;

  @Setup
  public void setup() {
    rules = ValidateTicks.compileAll(expectations, batch);
    actions = new ExpectationAction[expectations.size()];
    failedCounters = new Counter[expectations.size()];
    passedCounters = new Counter[expectations.size()];
    for (int i = 0; i < actions.length; i++) {
      String name = expectations.get(i).name();
      actions[i] = expectations.get(i).action();
      failedCounters[i] = Metrics.counter(RefineSilver.METRICS, "expectation." + name + ".failed");
      passedCounters[i] = Metrics.counter(RefineSilver.METRICS, "expectation." + name + ".passed");
    }
    quarantineSchema = TableCatalog.SILVER_QUARANTINE.schema();
  }

  @StartBundle
  public void startBundle(StartBundleContext c) {
    if (keys == null) {
      keys = BucketKeys.checked(bucketKeys, buckets, c.getPipelineOptions());
    }
    counts = new DqCounts(rules.size());
    valid = 0;
    if (pending == null) {
      pending = new ArrayList<>(buckets);
      for (int b = 0; b < buckets; b++) {
        pending.add(EncodedChunk.builder(ValidationOutput.CODER));
      }
    }
  }

  /**
   * Outputs not handed on yet, per bucket, already encoded: kept across bundles (each builder
   * reuses its buffer), empty between them.
   */
  private transient List<EncodedChunk.Builder<ValidationOutput>> pending;

  private void emit(int bucket, ValidationOutput v, OutputReceiver<KV<Integer, EncodedChunk>> out) {
    EncodedChunk.Builder<ValidationOutput> chunk = pending.get(bucket);
    try {
      chunk.add(v);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a validation output in memory failed", e);
    }
    if (chunk.count() >= ValidateTicks.CHUNK_ROWS) {
      out.output(KV.of(keys[bucket], chunk.build()));
    }
  }

  @ProcessElement
  public void process(@Element BronzeRecord bronze, OutputReceiver<KV<Integer, EncodedChunk>> out) {
    counts.rows++;
    SilverTick tick = parse(bronze, out);
    if (tick != null) {
      check(tick, bronze, out);
    }
  }

  /** The record as a Silver row, or null once it is quarantined as unparseable. */
  private SilverTick parse(BronzeRecord bronze, OutputReceiver<KV<Integer, EncodedChunk>> out) {
    byte[] payload = bronze.value();
    String problem;
    try {
      MarketEvent event = MarketEventCodec.parse(payload);
      return SilverTick.of(event, bronze.ingestTsMicros(), bronze.partition(), bronze.offset());
    } catch (MalformedEventException e) {
      problem = e.getMessage();
    } catch (ArithmeticException e) {
      problem = "field 'ts' is outside the microsecond timestamp range of silver/ticks";
    }
    counts.parseFailed++;
    emit(
        quarantine(
            payload, bronze.partition(), bronze.offset(), ValidateTicks.STAGE_PARSE, null, problem),
        out);
    return null;
  }

  /**
   * Evaluates every expectation on {@code tick} (counting each failure), then emits it to its key's
   * bucket, or quarantines it under its first failing {@code drop} expectation.
   */
  private void check(
      SilverTick tick, BronzeRecord bronze, OutputReceiver<KV<Integer, EncodedChunk>> out) {
    int firstDrop = -1;
    StringBuilder moreDrops = null;
    for (int i = 0; i < rules.size(); i++) {
      CompiledRule<SilverTick> rule = rules.get(i);
      if (rule.test(tick)) {
        continue;
      }
      counts.failed[i]++;
      if (actions[i] == ExpectationAction.FAIL) {
        throw failure(i, rule.explain(tick), bronze.value(), bronze.partition(), bronze.offset());
      }
      if (actions[i] == ExpectationAction.DROP) {
        if (firstDrop < 0) {
          firstDrop = i;
        } else {
          moreDrops = moreDrops == null ? new StringBuilder() : moreDrops.append("; ");
          moreDrops.append(expectations.get(i).name()).append(": ").append(rule.explain(tick));
        }
      }
    }
    if (firstDrop < 0) {
      valid++;
      int bucket = buckets == 1 ? 0 : DedupeAndInsertNew.bucketOf(tick.keyHash(), buckets);
      emit(bucket, ValidationOutput.valid(tick), out);
      return;
    }
    String reason = rules.get(firstDrop).explain(tick);
    if (moreDrops != null) {
      reason += " (also failed " + moreDrops + ")";
    }
    emit(
        quarantine(
            bronze.value(),
            bronze.partition(),
            bronze.offset(),
            ValidateTicks.STAGE_EXPECTATION,
            expectations.get(firstDrop).name(),
            reason),
        out);
  }

  private void emit(
      KV<Integer, ValidationOutput> keyed, OutputReceiver<KV<Integer, EncodedChunk>> out) {
    emit(keyed.getKey(), keyed.getValue(), out);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException {
    DqCounts bundle = counts;
    counts = null;
    if (!bundle.isEmpty()) {
      bronzeRows.inc(bundle.rows);
      validRows.inc(valid);
      parseFailed.inc(bundle.parseFailed);
      for (int i = 0; i < rules.size(); i++) {
        failedCounters[i].inc(bundle.failed[i]);
        passedCounters[i].inc(bundle.parsed() - bundle.failed[i]);
      }
      // The bundle's counts travel in bucket 0's last chunk.
      pending.get(0).add(ValidationOutput.counts(bundle));
    }
    for (int b = 0; b < pending.size(); b++) {
      if (pending.get(b).count() > 0) {
        c.output(
            KV.of(keys[b], pending.get(b).build()),
            GlobalWindow.INSTANCE.maxTimestamp(),
            GlobalWindow.INSTANCE);
      }
    }
  }

  /** A quarantine row, keyed by a bucket of its Bronze position. */
  private KV<Integer, ValidationOutput> quarantine(
      byte[] payload, int partition, long offset, String stage, String expectation, String reason) {
    quarantined.inc();
    GenericRecord r = new GenericData.Record(quarantineSchema);
    r.put("payload", payload == null ? null : ByteBuffer.wrap(payload));
    r.put("source_table", TableCatalog.BRONZE_TICKS.id());
    r.put("source_version", batch.toInclusive());
    r.put("kafka_partition", partition);
    r.put("kafka_offset", offset);
    r.put("stage", stage);
    r.put("expectation", expectation);
    r.put("reason", reason);
    r.put("batch_id", batch.batchId());
    r.put("quarantined_at", batch.startedAtMicros());
    r.put("quarantine_date", batch.startedAtDate());
    int bucket = Math.floorMod(31 * partition + Long.hashCode(offset), buckets);
    return KV.of(bucket, ValidationOutput.quarantined(r));
  }

  private ExpectationFailedException failure(
      int i, String reason, byte[] payload, int partition, long offset) {
    String name = expectations.get(i).name();
    return new ExpectationFailedException(
        name,
        String.format(
            "Expectation '%s' (action fail) of silver/ticks failed: %s. Record: bronze/ticks"
                + " partition %d, offset %d, payload %s (batch %s). Nothing was committed to any"
                + " table. Fix the producer or the data, or change the action, e.g."
                + " --expectationAction=%s=drop",
            name, reason, partition, offset, ValidateTicks.show(payload), batch.batchId(), name));
  }
}

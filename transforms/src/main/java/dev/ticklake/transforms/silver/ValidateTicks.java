package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.MalformedEventException;
import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.schemas.event.MarketEventCodec;
import dev.ticklake.transforms.expectations.CompiledRule;
import dev.ticklake.transforms.expectations.RuleSyntaxException;
import dev.ticklake.transforms.util.BucketKeys;
import dev.ticklake.transforms.util.EncodedChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses {@code bronze/ticks} rows ({@link BronzeRecord}s) and applies the expectations, in one
 * pass without a shuffle.
 *
 * <p>Outputs: {@link #VALID} rows for Silver (passed every {@code drop} expectation; {@code warn}
 * failures are kept and counted), {@link #QUARANTINED} rows in the {@code silver/quarantine} schema
 * (unparseable records with stage {@code parse}; rows failing a {@code drop} expectation with stage
 * {@code expectation}, once per row: {@code expectation} names the first failing one in declaration
 * order, {@code reason} explains it and lists any further failing {@code drop} expectations), and
 * {@link #COUNTS}, per-bundle tallies for {@code silver/dq_metrics}. Every parsed row is evaluated
 * against every expectation, so each expectation's counts are independent of the others. A row
 * failing a {@code fail} expectation throws {@link ExpectationFailedException}, which fails the
 * pipeline before anything can commit.
 *
 * <p>Rules are compiled when this transform is built (a bad rule fails pipeline construction with
 * the expectation's name, the position and the reason) and again once per worker instance.
 */
public final class ValidateTicks extends PTransform<PCollection<BronzeRecord>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<SilverTick> VALID = new TupleTag<>("valid") {};
  public static final TupleTag<GenericRecord> QUARANTINED = new TupleTag<>("quarantined") {};
  static final TupleTag<DqCounts> COUNTS = new TupleTag<>("counts") {};

  static final String STAGE_PARSE = "parse";
  static final String STAGE_EXPECTATION = "expectation";
  private static final int MAX_PAYLOAD_IN_MESSAGE = 300;

  private final List<Expectation> expectations;
  private final SilverBatch batch;

  private ValidateTicks(List<Expectation> expectations, SilverBatch batch) {
    this.expectations = List.copyOf(expectations);
    this.batch = batch;
  }

  /**
   * Validates against {@code expectations} (in this order), with {@code now()} = the batch start.
   *
   * @throws IllegalArgumentException if a rule does not compile; names the expectation
   */
  public static ValidateTicks with(List<Expectation> expectations, SilverBatch batch) {
    compileAll(expectations, batch);
    return new ValidateTicks(expectations, batch);
  }

  static List<CompiledRule<SilverTick>> compileAll(
      List<Expectation> expectations, SilverBatch batch) {
    List<CompiledRule<SilverTick>> rules = new ArrayList<>();
    for (Expectation e : expectations) {
      try {
        rules.add(CompiledRule.compile(e.rule(), SilverTick.COLUMNS, batch.startedAt()));
      } catch (RuleSyntaxException ex) {
        throw new IllegalArgumentException(
            "expectation '" + e.name() + "' of silver/ticks has an " + ex.getMessage(), ex);
      }
    }
    return rules;
  }

  /**
   * Outputs per chunk: a worker collects up to this many outputs per bucket before handing them on
   * as one element. The shuffle then moves, sorts and spills a few thousand elements instead of
   * millions (Flink's batch sort compared equal bucket keys record by record: 10% of the CPU, and
   * spilled every row). Memory per worker: at most buckets × this many encoded rows (about 110
   * bytes each).
   */
  static final int CHUNK_ROWS = 1000;

  /**
   * The same validation as one output, keyed for {@link DedupeAndInsertNew}, in {@link
   * EncodedChunk}s (encoded with {@link ValidationOutput#CODER}) of at most {@link #CHUNK_ROWS}
   * outputs of one bucket: valid rows by the bucket of their key ({@link
   * DedupeAndInsertNew#bucketOf}), quarantine rows spread over the buckets by Bronze position,
   * counts in bucket 0. What {@code RefineSilver} uses: one output feeds the shuffle directly (see
   * {@link ValidationOutput} for why not three).
   */
  static PTransform<PCollection<BronzeRecord>, PCollection<KV<Integer, EncodedChunk>>>
      keyedByBucket(
          List<Expectation> expectations, SilverBatch batch, int buckets, BucketKeys keys) {
    compileAll(expectations, batch);
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
    }
    List<Expectation> rules = List.copyOf(expectations);
    Objects.requireNonNull(keys, "keys");
    return new PTransform<>() {
      @Override
      public PCollection<KV<Integer, EncodedChunk>> expand(PCollection<BronzeRecord> rows) {
        return rows.apply("ParseAndCheck", ParDo.of(new ValidateFn(rules, batch, buckets, keys)))
            .setCoder(KvCoder.of(VarIntCoder.of(), EncodedChunk.CODER));
      }
    };
  }

  @Override
  public PCollectionTuple expand(PCollection<BronzeRecord> bronzeRows) {
    PCollectionTuple out =
        bronzeRows
            .apply("Check", keyedByBucket(expectations, batch, 1, BucketKeys.IDENTITY))
            .apply(
                "Split",
                ParDo.of(new SplitFn())
                    .withOutputTags(VALID, TupleTagList.of(QUARANTINED).and(COUNTS)));
    out.get(VALID).setCoder(SilverTick.CODER);
    out.get(QUARANTINED).setCoder(AvroCoder.of(TableCatalog.SILVER_QUARANTINE.schema()));
    out.get(COUNTS).setCoder(DqCounts.CODER);
    return out;
  }

  /** The keyed output back into the three tagged outputs. */
  private static final class SplitFn extends DoFn<KV<Integer, EncodedChunk>, SilverTick> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Integer, EncodedChunk> e, MultiOutputReceiver out)
        throws IOException {
      for (ValidationOutput v : e.getValue().decode(ValidationOutput.CODER)) {
        if (v.tick() != null) {
          out.get(VALID).output(v.tick());
        } else if (v.quarantinedRow() != null) {
          out.get(QUARANTINED).output(v.quarantinedRow());
        } else {
          out.get(COUNTS).output(v.dqCounts());
        }
      }
    }
  }

  private static final class ValidateFn extends DoFn<BronzeRecord, KV<Integer, EncodedChunk>> {
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

    ValidateFn(
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
      rules = compileAll(expectations, batch);
      actions = new ExpectationAction[expectations.size()];
      failedCounters = new Counter[expectations.size()];
      passedCounters = new Counter[expectations.size()];
      for (int i = 0; i < actions.length; i++) {
        String name = expectations.get(i).name();
        actions[i] = expectations.get(i).action();
        failedCounters[i] =
            Metrics.counter(RefineSilver.METRICS, "expectation." + name + ".failed");
        passedCounters[i] =
            Metrics.counter(RefineSilver.METRICS, "expectation." + name + ".passed");
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

    private void emit(
        int bucket, ValidationOutput v, OutputReceiver<KV<Integer, EncodedChunk>> out) {
      EncodedChunk.Builder<ValidationOutput> chunk = pending.get(bucket);
      try {
        chunk.add(v);
      } catch (IOException e) {
        throw new UncheckedIOException("encoding a validation output in memory failed", e);
      }
      if (chunk.count() >= CHUNK_ROWS) {
        out.output(KV.of(keys[bucket], chunk.build()));
      }
    }

    @ProcessElement
    public void process(
        @Element BronzeRecord bronze, OutputReceiver<KV<Integer, EncodedChunk>> out) {
      counts.rows++;
      byte[] payload = bronze.value();
      int partition = bronze.partition();
      long offset = bronze.offset();
      SilverTick tick;
      try {
        MarketEvent event = MarketEventCodec.parse(payload);
        tick = SilverTick.of(event, bronze.ingestTsMicros(), partition, offset);
      } catch (MalformedEventException e) {
        counts.parseFailed++;
        emit(quarantine(payload, partition, offset, STAGE_PARSE, null, e.getMessage()), out);
        return;
      } catch (ArithmeticException e) {
        counts.parseFailed++;
        emit(
            quarantine(
                payload,
                partition,
                offset,
                STAGE_PARSE,
                null,
                "field 'ts' is outside the microsecond timestamp range of silver/ticks"),
            out);
        return;
      }
      int firstDrop = -1;
      StringBuilder moreDrops = null;
      for (int i = 0; i < rules.size(); i++) {
        CompiledRule<SilverTick> rule = rules.get(i);
        if (rule.test(tick)) {
          continue;
        }
        counts.failed[i]++;
        if (actions[i] == ExpectationAction.FAIL) {
          throw failure(i, rule.explain(tick), payload, partition, offset);
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
              payload,
              partition,
              offset,
              STAGE_EXPECTATION,
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
        byte[] payload,
        int partition,
        long offset,
        String stage,
        String expectation,
        String reason) {
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
              name, reason, partition, offset, show(payload), batch.batchId(), name));
    }
  }

  static String show(byte[] payload) {
    if (payload == null) {
      return "null";
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    return text.length() > MAX_PAYLOAD_IN_MESSAGE
        ? text.substring(0, MAX_PAYLOAD_IN_MESSAGE) + "... (" + payload.length + " bytes)"
        : text;
  }
}

package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.expectations.CompiledRule;
import dev.ticklake.transforms.expectations.RuleSyntaxException;
import dev.ticklake.transforms.util.BucketKeys;
import dev.ticklake.transforms.util.EncodedChunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
        return rows.apply(
                "ParseAndCheck", ParDo.of(new ParseAndCheckFn(rules, batch, buckets, keys)))
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

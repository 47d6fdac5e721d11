package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.delta.DeltaWrite;
import dev.ticklake.transforms.util.BucketKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * One exactly-once Silver batch: {@code bronze/ticks} rows added in the batch's version range →
 * parsed, checked against the expectations, de-duplicated → {@code silver/ticks}, with bad records
 * in {@code silver/quarantine} and the batch's data-quality counts in {@code silver/dq_metrics}.
 *
 * <pre>{@code
 * SilverBatch batch = new SilverBatch(stored, current, Instant.now(), runId);
 * p.apply(RefineSilver.of(lakeRoot, batch).withExpectationAction("positive_prices", FAIL));
 * }</pre>
 *
 * <p><b>Exactly once.</b> Each table is written in one Delta commit that carries {@code
 * SetTransaction(<table>:bronze/ticks, batch.toInclusive())} ({@link #SILVER_APP_ID}, {@link
 * #QUARANTINE_APP_ID}, {@link #DQ_METRICS_APP_ID}); a commit whose version is already in its
 * table's log is skipped. The commits happen in a fixed order, quarantine → dq_metrics →
 * silver/ticks, so Silver's transaction version is the position that says a batch is complete: a
 * crash between the commits leaves the quarantine (and perhaps dq_metrics) ahead of Silver, and
 * re-running the <em>same</em> batch skips what is there and commits the rest. The caller must
 * re-run the same range after such a crash (see the job's planner), not a larger one. The three
 * commits are made by one step ({@link DeltaIO#commitInOrder}) once every data file of the batch is
 * written; Silver's base version is read when the pipeline is built, not by a side input.
 *
 * <p><b>Expectations</b> default to {@code TableCatalog.SILVER_TICKS.expectations()}; rules compile
 * when this transform is configured, so a bad rule fails before the pipeline runs. {@code warn}
 * keeps and counts a failing row, {@code drop} quarantines it, {@code fail} throws {@link
 * ExpectationFailedException} and no table is committed (all commits wait for the whole batch to be
 * validated).
 *
 * <p><b>Duplicates</b> within the batch keep the row first in Bronze ({@link DedupeAndInsertNew});
 * rows whose key Silver already holds are left out by the insert-only upsert, so replays change
 * nothing. Late and out-of-order events are accepted as they come (no watermark).
 *
 * <p>Beam counters (namespace {@value #METRICS}): {@code bronzeRows}, {@code validRows}, {@code
 * uniqueRows}, {@code quarantinedRows}, {@code expectation.<name>.passed|failed}, {@code
 * expectation.parse.failed}. Immutable; each {@code withX} returns a copy.
 */
public final class RefineSilver extends PTransform<PBegin, RefineSilver.Result> {
  private static final long serialVersionUID = 1L;

  /** Namespace of this transform's Beam counters. */
  public static final String METRICS = "silver";

  public static final String SILVER_APP_ID = "silver/ticks:bronze/ticks";
  public static final String QUARANTINE_APP_ID = "silver/quarantine:bronze/ticks";
  public static final String DQ_METRICS_APP_ID = "silver/dq_metrics:bronze/ticks";

  /** The {@code silver/dq_metrics} expectation name under which unparseable records are counted. */
  public static final String PARSE_EXPECTATION = "parse";

  private final String lakeRoot;
  private final SilverBatch batch;
  private final List<Expectation> expectations;
  private final Map<String, String> commitInfo;
  private final Map<String, String> hadoopConf;
  private final long rowsPerBucket;
  private final BucketKeys bucketKeys;

  private RefineSilver(
      String lakeRoot,
      SilverBatch batch,
      List<Expectation> expectations,
      Map<String, String> commitInfo,
      Map<String, String> hadoopConf,
      long rowsPerBucket,
      BucketKeys bucketKeys) {
    this.lakeRoot = Objects.requireNonNull(lakeRoot, "lakeRoot");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.expectations = List.copyOf(expectations);
    this.commitInfo = Map.copyOf(commitInfo);
    this.hadoopConf = Map.copyOf(hadoopConf);
    if (rowsPerBucket < 1) {
      throw new IllegalArgumentException("rowsPerBucket must be >= 1, got " + rowsPerBucket);
    }
    this.rowsPerBucket = rowsPerBucket;
    this.bucketKeys = Objects.requireNonNull(bucketKeys, "bucketKeys");
    ValidateTicks.compileAll(this.expectations, batch);
  }

  /** The batch {@code batch} of the lake at {@code lakeRoot}, with the catalog's expectations. */
  public static RefineSilver of(String lakeRoot, SilverBatch batch) {
    return new RefineSilver(
        lakeRoot,
        batch,
        TableCatalog.SILVER_TICKS.expectations(),
        Map.of(),
        Map.of(),
        ROWS_PER_BUCKET,
        BucketKeys.IDENTITY);
  }

  /** Replaces the expectations (evaluated in this order). */
  public RefineSilver withExpectations(List<Expectation> rules) {
    return new RefineSilver(
        lakeRoot, batch, rules, commitInfo, hadoopConf, rowsPerBucket, bucketKeys);
  }

  /**
   * Changes the action of the expectation called {@code name}.
   *
   * @throws IllegalArgumentException if there is no such expectation; the message lists them
   */
  public RefineSilver withExpectationAction(String name, ExpectationAction action) {
    return withExpectationActions(Map.of(name, action));
  }

  /** Changes the actions of several expectations; see {@link #withExpectationAction}. */
  public RefineSilver withExpectationActions(Map<String, ExpectationAction> actions) {
    List<Expectation> changed = new ArrayList<>();
    for (Expectation e : expectations) {
      ExpectationAction action = actions.getOrDefault(e.name(), e.action());
      changed.add(new Expectation(e.name(), e.rule(), action));
    }
    for (String name : actions.keySet()) {
      if (expectations.stream().noneMatch(e -> e.name().equals(name))) {
        throw new IllegalArgumentException(
            "silver/ticks has no expectation '"
                + name
                + "' (expectations: "
                + expectations.stream().map(Expectation::name).collect(Collectors.joining(", "))
                + ")");
      }
    }
    return withExpectations(changed);
  }

  /** Key/values recorded with each of the batch's commits (plus the batch's id and start). */
  public RefineSilver withCommitInfo(Map<String, String> info) {
    return new RefineSilver(
        lakeRoot, batch, expectations, info, hadoopConf, rowsPerBucket, bucketKeys);
  }

  /** Extra Hadoop settings for reading and writing the tables (e.g. {@code fs.s3a.*}). */
  public RefineSilver withHadoopConfiguration(Map<String, String> settings) {
    return new RefineSilver(
        lakeRoot, batch, expectations, commitInfo, settings, rowsPerBucket, bucketKeys);
  }

  /**
   * Bronze rows per key bucket of the de-duplicating insert (default {@value #ROWS_PER_BUCKET});
   * see {@link #buckets}. Smaller buckets spread a big batch more evenly over a runner that hashes
   * keys onto a fixed set of workers (Flink: use {@link #ROWS_PER_BUCKET_HASHED_WORKERS}); on a
   * runner that runs each bucket as its own bundle (the DirectRunner) each bucket writes its own
   * files, so bigger ones mean fewer files.
   */
  public RefineSilver withRowsPerBucket(long rows) {
    return new RefineSilver(
        lakeRoot, batch, expectations, commitInfo, hadoopConf, rows, bucketKeys);
  }

  /**
   * The keys the key buckets travel under in the shuffle, and the Bronze files to the workers that
   * read them (default {@link BucketKeys#IDENTITY}): on a runner that hashes keys onto a fixed set
   * of workers, keys chosen for its partitioning give every worker the same share.
   */
  public RefineSilver withBucketKeys(BucketKeys keys) {
    return new RefineSilver(
        lakeRoot, batch, expectations, commitInfo, hadoopConf, rowsPerBucket, keys);
  }

  /** The expectations this batch applies, in evaluation order. */
  public List<Expectation> expectations() {
    return expectations;
  }

  /**
   * The commit metadata of each table's commit: the caller's, plus {@code batchId}, {@code
   * batchStartedAt}.
   */
  Map<String, String> fullCommitInfo() {
    Map<String, String> info = new LinkedHashMap<>(commitInfo);
    info.put("batchId", batch.batchId());
    info.put("batchStartedAt", batch.startedAt().toString());
    return info;
  }

  @Override
  public Result expand(PBegin begin) {
    // Planned here, from the logs, once: the Silver version the insert-only merge checks keys
    // against (a constant, not a side input), and how many key buckets the batch is spread over.
    long silverBase =
        DeltaTable.at(TableCatalog.SILVER_TICKS.location(lakeRoot), hadoopConf).latestVersion();
    long bronzeRows =
        DeltaTable.at(TableCatalog.BRONZE_TICKS.location(lakeRoot), hadoopConf)
            .rowsAddedBetween(batch.fromExclusive(), batch.toInclusive(), rowsPerBucket);
    int buckets = buckets(bronzeRows, rowsPerBucket);

    PCollection<BronzeRecord> bronze =
        begin.apply(
            "ReadBronze",
            DeltaIO.read()
                .from(CatalogTables.spec(TableCatalog.BRONZE_TICKS, lakeRoot))
                .changesBetween(batch.fromExclusive(), batch.toInclusive())
                .withHadoopConfiguration(hadoopConf)
                .distributingFilesWith(bucketKeys)
                .readingFilesWith(new BronzeRecordFileReader(), BronzeRecord.CODER));
    DeltaWrite quarantineWrite = write(TableCatalog.SILVER_QUARANTINE, QUARANTINE_APP_ID);
    DeltaWrite dqMetricsWrite = write(TableCatalog.SILVER_DQ_METRICS, DQ_METRICS_APP_ID);
    DeltaWrite silverWrite =
        write(TableCatalog.SILVER_TICKS, SILVER_APP_ID)
            // Unique per row (ts nearly so): a dictionary would be built and dropped per file.
            .withoutDictionary("ts", "event_id")
            .withKeepExistingOnMatch()
            .withBaseVersion(silverBase);

    // Parse, check and key by bucket in one step with ONE output that feeds the shuffle; the
    // quarantine rows and counts ride along and are split off after it (see ValidationOutput).
    PCollectionTuple inserted =
        bronze
            .apply(
                "Validate", ValidateTicks.keyedByBucket(expectations, batch, buckets, bucketKeys))
            .apply(
                "DedupeAndInsertNew",
                new DedupeAndInsertNew(silverWrite.insertOnlyMerge(), ROWS_PER_BUCKET));

    PCollection<KV<String, DataFileAction>> quarantineFiles =
        inserted
            .get(ValidateTicks.QUARANTINED)
            .apply("WriteQuarantineFiles", quarantineWrite.dataFiles());

    PCollection<KV<String, DataFileAction>> dqMetricsFiles =
        inserted
            .get(ValidateTicks.COUNTS)
            .apply("SumCounts", Combine.globally(new DqCounts.Sum(expectations.size())))
            .setCoder(DqCounts.CODER)
            .apply("ToMetricRows", ParDo.of(new DqMetricRowsFn(expectations, batch)))
            .setCoder(AvroCoder.of(TableCatalog.SILVER_DQ_METRICS.schema()))
            .apply("WriteDqMetricsFiles", dqMetricsWrite.dataFiles());

    PCollection<KV<String, DataFileAction>> silverFiles =
        inserted.get(DedupeAndInsertNew.SILVER_FILES);

    // One step commits all three tables, in order, once every file of the batch is written: no
    // Wait.on over row streams, no side inputs.
    PCollection<CommitOutcome> outcomes =
        PCollectionList.of(quarantineFiles)
            .and(dqMetricsFiles)
            .and(silverFiles)
            .apply("AllFiles", Flatten.pCollections())
            .setCoder(FILE_CODER)
            .apply(
                "Commit",
                DeltaIO.commitInOrder(List.of(quarantineWrite, dqMetricsWrite, silverWrite)));
    return new Result(
        begin.getPipeline(),
        outcomes.apply("SilverOutcome", outcomeOf(TableCatalog.SILVER_TICKS)),
        outcomes.apply("QuarantineOutcome", outcomeOf(TableCatalog.SILVER_QUARANTINE)),
        outcomes.apply("DqMetricsOutcome", outcomeOf(TableCatalog.SILVER_DQ_METRICS)));
  }

  private static final org.apache.beam.sdk.coders.Coder<KV<String, DataFileAction>> FILE_CODER =
      KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DataFileAction.class));

  /**
   * Default Bronze rows per key bucket of the de-duplicating insert: bigger batches spread over
   * more workers, and a micro-batch stays one bucket (one file per trade date).
   */
  public static final long ROWS_PER_BUCKET = 250_000;

  /**
   * Rows per bucket for runners that hash buckets onto a fixed set of workers (Flink): with 8
   * buckets on 2 workers one worker often got 5 or 6 of them (measured: 70% of the insert on one of
   * two workers); 64 spread evenly. There a worker's buckets share files ({@link
   * DedupeAndInsertNew}), so small buckets do not mean small files.
   */
  public static final long ROWS_PER_BUCKET_HASHED_WORKERS = 31_250;

  static final int MAX_BUCKETS = 64;

  /**
   * One bucket for a small micro-batch (one worker, one file per partition), one per {@code
   * rowsPerBucket} rows beyond, at most {@link #MAX_BUCKETS}.
   */
  static int buckets(long bronzeRows, long rowsPerBucket) {
    return (int)
        Math.max(1, Math.min(MAX_BUCKETS, (bronzeRows + rowsPerBucket - 1) / rowsPerBucket));
  }

  private DeltaWrite write(TableDef table, String appId) {
    return DeltaIO.write()
        .to(CatalogTables.spec(table, lakeRoot))
        .withTransaction(appId, batch.toInclusive())
        .withCommitInfo(fullCommitInfo())
        .withHadoopConfiguration(hadoopConf);
  }

  private static Filter<CommitOutcome> outcomeOf(TableDef table) {
    String id = table.id();
    return Filter.by(o -> o.table().equals(id));
  }

  /** The commit outcomes of the batch's three writes. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<CommitOutcome> silver;
    private final PCollection<CommitOutcome> quarantine;
    private final PCollection<CommitOutcome> dqMetrics;

    Result(
        Pipeline pipeline,
        PCollection<CommitOutcome> silver,
        PCollection<CommitOutcome> quarantine,
        PCollection<CommitOutcome> dqMetrics) {
      this.pipeline = pipeline;
      this.silver = silver.setCoder(SerializableCoder.of(CommitOutcome.class));
      this.quarantine = quarantine;
      this.dqMetrics = dqMetrics;
    }

    /** The {@code silver/ticks} commit (last of the three). */
    public PCollection<CommitOutcome> silver() {
      return silver;
    }

    /** The {@code silver/quarantine} commit (first). */
    public PCollection<CommitOutcome> quarantine() {
      return quarantine;
    }

    /** The {@code silver/dq_metrics} commit (second). */
    public PCollection<CommitOutcome> dqMetrics() {
      return dqMetrics;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      Map<TupleTag<?>, PValue> out = new LinkedHashMap<>();
      out.put(new TupleTag<CommitOutcome>("silver"), silver);
      out.put(new TupleTag<CommitOutcome>("quarantine"), quarantine);
      out.put(new TupleTag<CommitOutcome>("dqMetrics"), dqMetrics);
      return out;
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName,
        org.apache.beam.sdk.values.PInput input,
        PTransform<?, ?> transform) {}
  }
}

package dev.ticklake.transforms.gold;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaRead;
import dev.ticklake.transforms.delta.DeltaWrite;
import dev.ticklake.transforms.indicators.AnomalyDetector;
import dev.ticklake.transforms.util.BucketKeys;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * One incremental Gold batch: {@code silver/ticks} → {@code gold/bars_1m}, {@code gold/bars_1d},
 * {@code gold/anomalies}, {@code gold/daily_metrics} and {@code gold/bar_state}, as planned by
 * {@link GoldBatch}.
 *
 * <ol>
 *   <li>Reads the Silver rows the batch added (its version range; on a full rebuild every row of
 *       the touched dates) and the saved folds ({@code gold/bar_state}) of the touched dates, and
 *       folds the new rows into their (symbol, date)'s daily bar, last one-minute bar and daily
 *       sums ({@link FoldDays}): linear in the new rows, except for a day that receives a late
 *       event, which is re-read from Silver.
 *   <li>Reads the stored Gold bars of the touched symbols (all their dates) and recomputes their
 *       series over the full history ({@link ComputeIndicatorsAndAnomalies}).
 *   <li>Writes each table with {@code REPLACE_PARTITIONS} and {@code SetTransaction("<table
 *       id>:silver/ticks", silverVersion)}: {@code bars_1m} and {@code anomalies} replace the
 *       touched symbols' partitions from their earliest touched date on, {@code bars_1d} the
 *       touched symbols' partitions, {@code daily_metrics} and {@code bar_state} the touched dates.
 * </ol>
 *
 * <p>Guarantees: bounded; each table's commit is atomic and idempotent on its own (a re-run of a
 * batch already committed to a table is SKIPPED for that table), so a re-run after a crash between
 * the commits completes the rest (a saved fold that is ahead of the batch makes its day re-read).
 * Untouched symbols' partitions are never rewritten. Every value is deterministic (events folded in
 * event order), identical on every runner, and bit-identical to a full rebuild. Output: one {@link
 * CommitOutcome} per table. Defaults: anomaly window {@value AnomalyDetector#DEFAULT_WINDOW},
 * threshold 3.
 */
public final class BuildGold extends PTransform<PBegin, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;

  private final GoldBatch batch;
  private final int anomalyWindow;
  private final double anomalyThreshold;
  private final Map<String, String> commitInfo;
  private final BucketKeys fileKeys;

  private BuildGold(
      GoldBatch batch,
      int anomalyWindow,
      double anomalyThreshold,
      Map<String, String> info,
      BucketKeys fileKeys) {
    this.batch = Objects.requireNonNull(batch);
    this.anomalyWindow = anomalyWindow;
    this.anomalyThreshold = anomalyThreshold;
    this.commitInfo = Map.copyOf(info);
    this.fileKeys = Objects.requireNonNull(fileKeys, "fileKeys");
  }

  /** The batch {@code batch} with default settings. */
  public static BuildGold of(GoldBatch batch) {
    return new BuildGold(
        batch,
        AnomalyDetector.DEFAULT_WINDOW,
        AnomalyDetector.DEFAULT_THRESHOLD,
        Map.of(),
        BucketKeys.IDENTITY);
  }

  /** Anomaly detector window (previous returns, ≥ 2) and |z| threshold (&gt; 0). */
  public BuildGold withAnomalyDetection(int window, double threshold) {
    new AnomalyDetector(window, threshold); // validates now, not on a worker
    return new BuildGold(batch, window, threshold, commitInfo, fileKeys);
  }

  /** Recorded with each of the four commits (Delta userMetadata). */
  public BuildGold withCommitInfo(Map<String, String> info) {
    return new BuildGold(batch, anomalyWindow, anomalyThreshold, info, fileKeys);
  }

  /**
   * The keys the Silver files travel under to the workers that read them (default {@link
   * BucketKeys#IDENTITY}); see {@code DeltaRead#distributingFilesWith}.
   */
  public BuildGold withFileKeys(BucketKeys keys) {
    return new BuildGold(batch, anomalyWindow, anomalyThreshold, commitInfo, keys);
  }

  @Override
  public PCollection<CommitOutcome> expand(PBegin begin) {
    if (!batch.hasWork()) {
      throw new IllegalArgumentException(
          "BuildGold: Silver has not moved since version "
              + batch.fromExclusive()
              + "; check GoldBatch.hasWork() before building the pipeline");
    }
    Pipeline p = begin.getPipeline();
    PCollectionTuple folded = foldDays(p);
    PCollection<KV<String, SymbolDay>> days = folded.get(FoldDays.DAYS);
    PCollection<DayFold.State> states = folded.get(FoldDays.STATES);
    PCollectionTuple recomputed = recomputeSeries(days);
    PCollectionView<List<Map<String, String>>> replacedSymbolDates =
        recomputed
            .get(ComputeIndicatorsAndAnomalies.REPLACED_PARTITIONS)
            .apply("ReplacedSymbolDates", View.asList());

    return PCollectionList.of(
            recomputed
                .get(ComputeIndicatorsAndAnomalies.MINUTE_BARS)
                .apply("WriteBars1m", write(TableCatalog.GOLD_BARS_1M, replacedSymbolDates)))
        .and(
            recomputed
                .get(ComputeIndicatorsAndAnomalies.DAILY_BARS)
                .apply("WriteBars1d", write(TableCatalog.GOLD_BARS_1D, null)))
        .and(
            recomputed
                .get(ComputeIndicatorsAndAnomalies.ANOMALIES)
                .apply("WriteAnomalies", write(TableCatalog.GOLD_ANOMALIES, replacedSymbolDates)))
        .and(
            states
                .apply("ComputeDailyMetrics", ComputeDailyMetrics.create())
                .apply(
                    "WriteDailyMetrics",
                    write(
                        TableCatalog.GOLD_DAILY_METRICS,
                        touchedDates(p, TableCatalog.GOLD_DAILY_METRICS))))
        .and(
            states
                .apply("ToBarStateRows", ParDo.of(new BarStateRowFn()))
                .setCoder(AvroCoder.of(GenericRecord.class, GoldRows.BAR_STATE))
                .apply(
                    "WriteBarState",
                    write(
                        TableCatalog.GOLD_BAR_STATE, touchedDates(p, TableCatalog.GOLD_BAR_STATE))))
        .apply("Outcomes", Flatten.pCollections());
  }

  /**
   * Step 1: the batch's Silver rows and the touched dates' saved folds, folded into each (symbol,
   * date)'s day ({@link FoldDays#DAYS}) and fold state ({@link FoldDays#STATES}).
   */
  private PCollectionTuple foldDays(Pipeline p) {
    String lakeRoot = batch.lakeRoot();
    Set<String> dates = Set.copyOf(batch.touchedDates());
    boolean complete = batch.rebuildsEverything();
    DeltaRead silver =
        DeltaIO.read()
            .from(CatalogTables.spec(TableCatalog.SILVER_TICKS, lakeRoot))
            .atVersion(batch.silverVersion())
            .distributingFilesWith(fileKeys);
    PCollection<SilverEvent> events =
        p.apply(
            complete ? "ReadSilverDates" : "ReadSilverChanges",
            (complete
                    ? silver.withPartitionFilter(new TradeDateIn(dates))
                    : silver.changesBetween(batch.fromExclusive(), batch.silverVersion()))
                .readingFilesWith(new SilverEventFileReader(), SilverEvent.EventCoder.of()));
    PCollection<GenericRecord> savedFolds =
        complete || batch.barStateVersion() < 0
            ? p.apply(
                "NoSavedFolds", Create.empty(AvroCoder.of(GenericRecord.class, GoldRows.BAR_STATE)))
            : p.apply(
                "ReadSavedFolds",
                DeltaIO.read()
                    .from(CatalogTables.spec(TableCatalog.GOLD_BAR_STATE, lakeRoot))
                    .atVersion(batch.barStateVersion())
                    .withPartitionFilter(new TradeDateIn(dates)));
    return PCollectionTuple.of(FoldDays.EVENTS, events)
        .and(FoldDays.STORED_STATES, savedFolds)
        .apply(
            "FoldDays",
            complete
                ? FoldDays.ofCompleteDays()
                : FoldDays.ofNewEvents(lakeRoot, batch.silverVersion()));
  }

  /**
   * Step 2: the touched symbols' stored bars (all their dates) with the new days, their series
   * recomputed ({@link ComputeIndicatorsAndAnomalies}).
   */
  private PCollectionTuple recomputeSeries(PCollection<KV<String, SymbolDay>> days) {
    PCollection<Map<String, String>> symbolPartitions =
        days.apply("TouchedSymbols", Keys.create())
            .apply("DistinctSymbols", Distinct.create())
            .apply("SymbolPartition", ParDo.of(new SymbolPartitionFn()))
            .setCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<GenericRecord> storedMinute =
        readStoredBars(symbolPartitions, "ReadStoredMinuteBars", TableCatalog.GOLD_BARS_1M);
    PCollection<GenericRecord> storedDaily =
        readStoredBars(symbolPartitions, "ReadStoredDailyBars", TableCatalog.GOLD_BARS_1D);
    return PCollectionTuple.of(ComputeIndicatorsAndAnomalies.DAYS, days)
        .and(ComputeIndicatorsAndAnomalies.STORED_MINUTE_BARS, storedMinute)
        .and(ComputeIndicatorsAndAnomalies.STORED_DAILY_BARS, storedDaily)
        .apply(
            "ComputeIndicatorsAndAnomalies",
            new ComputeIndicatorsAndAnomalies(anomalyWindow, anomalyThreshold));
  }

  /** The rows of {@code table}'s given partitions, at the version the batch was planned on. */
  private PCollection<GenericRecord> readStoredBars(
      PCollection<Map<String, String>> partitions, String name, TableDef table) {
    return partitions.apply(
        name,
        DeltaIO.readPartitions()
            .from(CatalogTables.spec(table, batch.lakeRoot()))
            .atVersion(batch.versionOf(table)));
  }

  /** The batch's dates as partition specs {@code {column: date}} of a table partitioned by date. */
  private PCollectionView<List<Map<String, String>>> touchedDates(Pipeline p, TableDef table) {
    String column = onlyPartitionColumn(table);
    return p.apply(
            "TouchedDates:" + column,
            Create.of(batch.touchedDates().stream().map(d -> Map.of(column, d)).toList())
                .withCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("TouchedDatePartitions:" + column, View.asList());
  }

  private DeltaWrite write(TableDef table, PCollectionView<List<Map<String, String>>> replaced) {
    // The base version is the one read when the batch was planned, not a side input at run time
    // (costly on the DirectRunner); a commit by another writer since is caught by the commit.
    DeltaWrite write =
        DeltaIO.write()
            .to(CatalogTables.spec(table, batch.lakeRoot()))
            .withTransaction(GoldBatch.appId(table), batch.silverVersion())
            .withBaseVersion(batch.versionOf(table))
            .withCommitInfo(commitInfo);
    return replaced == null ? write : write.withPartitionsToReplace(replaced);
  }

  /** The one partition column of a table partitioned by a single column. */
  static String onlyPartitionColumn(TableDef table) {
    if (table.partitionColumns().size() != 1) {
      throw new IllegalStateException(
          table.id() + " is partitioned by " + table.partitionColumns() + ", not one column");
    }
    return table.partitionColumns().get(0);
  }

  /** Keeps the Silver (or bar state) files of the touched dates. */
  private static final class TradeDateIn
      implements SerializableFunction<Map<String, String>, Boolean> {
    private static final long serialVersionUID = 1L;
    private static final String TRADE_DATE = onlyPartitionColumn(TableCatalog.SILVER_TICKS);
    private final Set<String> dates;

    TradeDateIn(Set<String> dates) {
      this.dates = dates;
    }

    @Override
    public Boolean apply(Map<String, String> partition) {
      return dates.contains(partition.get(TRADE_DATE));
    }
  }

  private static final class BarStateRowFn extends DoFn<DayFold.State, GenericRecord> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element DayFold.State state, OutputReceiver<GenericRecord> out) {
      out.output(GoldRows.barState(state));
    }
  }

  /**
   * The {@code gold/bars_1d} partition of a symbol (whose {@code gold/bars_1m} ones it prefixes).
   */
  private static final class SymbolPartitionFn extends DoFn<String, Map<String, String>> {
    private static final long serialVersionUID = 1L;
    private static final String SYMBOL = onlyPartitionColumn(TableCatalog.GOLD_BARS_1D);

    @ProcessElement
    public void process(@Element String symbol, OutputReceiver<Map<String, String>> out) {
      out.output(Map.of(SYMBOL, symbol));
    }
  }
}

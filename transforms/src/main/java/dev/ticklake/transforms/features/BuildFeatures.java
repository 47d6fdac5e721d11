package dev.ticklake.transforms.features;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.indicators.Bar;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One incremental {@code build-features} batch: {@code gold/bars_1d} (or, for the one-minute
 * interval, {@code gold/bars_1m}) → {@code gold/features}, as planned by {@link FeaturesBatch}.
 * Reads every bar of the touched symbols at the planned bars version, computes each symbol's
 * feature rows over its full history ({@link FeatureSeries}: the features of bar t from bars ≤ t,
 * labels from bar t+1) and replaces the symbols' partitions in one commit with {@code
 * SetTransaction("gold/features:gold/bars_1d", barsVersion)}.
 *
 * <p>Guarantees: bounded; atomic and idempotent (a re-run of a committed batch is SKIPPED);
 * deterministic on every runner; untouched symbols are never rewritten. Bad input never fails the
 * batch: a bar that is not a valid OHLCV bar, or that repeats an earlier start, is dropped and
 * counted ({@code features.bars_invalid}, {@code features.bars_repeated}); rows with undefined
 * features (warm-up, constant volume) are written with nulls and counted ({@code
 * features.rows_incomplete}), so training can drop them with a reason.
 */
public final class BuildFeatures extends PTransform<PBegin, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;
  static final String METRICS = "features";

  private final FeaturesBatch batch;
  private final Map<String, String> commitInfo;

  private BuildFeatures(FeaturesBatch batch, Map<String, String> commitInfo) {
    this.batch = Objects.requireNonNull(batch, "batch");
    this.commitInfo = Map.copyOf(commitInfo);
  }

  /** The batch {@code batch}. */
  public static BuildFeatures of(FeaturesBatch batch) {
    return new BuildFeatures(batch, Map.of());
  }

  /** Recorded with the commit (Delta userMetadata). */
  public BuildFeatures withCommitInfo(Map<String, String> info) {
    return new BuildFeatures(batch, info);
  }

  @Override
  public PCollection<CommitOutcome> expand(PBegin begin) {
    if (!batch.hasWork()) {
      throw new IllegalArgumentException(
          "BuildFeatures: "
              + batch.source().id()
              + " has not moved since version "
              + batch.fromExclusive()
              + "; check FeaturesBatch.hasWork() before building the pipeline");
    }
    MapCoder<String, String> partitionCoder =
        MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    List<Map<String, String>> barPartitions =
        batch.touchedSymbols().stream().map(s -> Map.of("symbol", s)).toList();
    List<Map<String, String>> featurePartitions =
        batch.touchedSymbols().stream()
            .map(s -> Map.of("interval", batch.interval(), "symbol", s))
            .toList();
    PCollectionView<List<Map<String, String>>> replaced =
        begin
            .apply("FeaturePartitions", Create.of(featurePartitions).withCoder(partitionCoder))
            .apply("ReplacedPartitions", View.asList());
    return begin
        .apply("TouchedSymbols", Create.of(barPartitions).withCoder(partitionCoder))
        .apply(
            "ReadBars",
            DeltaIO.readPartitions()
                .from(CatalogTables.spec(batch.source(), batch.lakeRoot()))
                .atVersion(batch.barsVersion()))
        .apply(
            "KeyBySymbol",
            WithKeys.of((GenericRecord r) -> r.get("symbol").toString())
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, batch.source().schema())))
        .apply("GroupBySymbol", GroupByKey.create())
        .apply("ComputeFeatures", ParDo.of(new ComputeFeaturesFn(batch.interval(), batch.daily())))
        .setCoder(AvroCoder.of(GenericRecord.class, FeatureRecords.SCHEMA))
        .apply(
            "WriteFeatures",
            DeltaIO.write()
                .to(CatalogTables.spec(TableCatalog.GOLD_FEATURES, batch.lakeRoot()))
                .withTransaction(FeaturesBatch.appId(batch.interval()), batch.barsVersion())
                .withBaseVersion(batch.featuresVersion())
                .withPartitionsToReplace(replaced)
                .withCommitInfo(commitInfo));
  }

  /** One symbol's bars → its feature rows. */
  static final class ComputeFeaturesFn
      extends DoFn<KV<String, Iterable<GenericRecord>>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter invalid = Metrics.counter(METRICS, "bars_invalid");
    private final Counter repeated = Metrics.counter(METRICS, "bars_repeated");
    private final Counter rows = Metrics.counter(METRICS, "rows");
    private final Counter incomplete = Metrics.counter(METRICS, "rows_incomplete");
    private final String interval;
    private final boolean daily;

    ComputeFeaturesFn(String interval, boolean daily) {
      this.interval = interval;
      this.daily = daily;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<GenericRecord>> symbolBars,
        OutputReceiver<GenericRecord> out) {
      List<Bar> bars = new ArrayList<>();
      for (GenericRecord r : symbolBars.getValue()) {
        try {
          bars.add(FeatureRecords.barOf(r));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
          invalid.inc();
        }
      }
      bars.sort(Comparator.comparingLong(Bar::barStartMicros));
      List<Bar> strictlyIncreasing = new ArrayList<>(bars.size());
      for (Bar b : bars) {
        if (!strictlyIncreasing.isEmpty()
            && strictlyIncreasing.get(strictlyIncreasing.size() - 1).barStartMicros()
                == b.barStartMicros()) {
          repeated.inc();
          continue;
        }
        strictlyIncreasing.add(b);
      }
      for (FeatureRow row : FeatureSeries.compute(symbolBars.getKey(), strictlyIncreasing, daily)) {
        rows.inc();
        if (!row.complete()) {
          incomplete.inc();
        }
        out.output(FeatureRecords.toRecord(row, interval));
      }
    }
  }
}

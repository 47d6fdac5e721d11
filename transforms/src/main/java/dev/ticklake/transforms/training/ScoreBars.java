package dev.ticklake.transforms.training;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.features.FeatureRecords;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSchema;
import dev.ticklake.transforms.features.FeaturesBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
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
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One incremental {@code score} batch ({@link ScoringPlan}): the touched symbols' feature rows
 * after the champion's training window → {@code gold/predictions}, upserted by (model, symbol,
 * interval, bar) with {@code SetTransaction("gold/predictions:gold/features", featuresVersion)}. A
 * row is scored only when every feature is defined; its realised outcome is filled when its label
 * exists, so a later batch completes the rows an earlier one scored.
 *
 * <p>Guarantees: bounded; atomic and idempotent; out of sample by construction (no bar at or before
 * the model's last training bar is scored); deterministic apart from {@code scored_at}, which is
 * the plan's time. Rows skipped are counted ({@code scoring.rows_incomplete}, {@code
 * scoring.rows_in_sample}).
 */
public final class ScoreBars extends PTransform<PBegin, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;
  static final String METRICS = "scoring";
  static final Schema SCHEMA = TableCatalog.GOLD_PREDICTIONS.schema();

  private final ScoringPlan plan;
  private final long scoredAtMicros;
  private final Map<String, String> commitInfo;

  private ScoreBars(ScoringPlan plan, long scoredAtMicros, Map<String, String> commitInfo) {
    this.plan = Objects.requireNonNull(plan);
    this.scoredAtMicros = scoredAtMicros;
    this.commitInfo = Map.copyOf(commitInfo);
  }

  /** Scores {@code plan}, stamping rows with {@code scoredAtMicros}. */
  public static ScoreBars of(ScoringPlan plan, long scoredAtMicros) {
    return new ScoreBars(plan, scoredAtMicros, Map.of());
  }

  public ScoreBars withCommitInfo(Map<String, String> info) {
    return new ScoreBars(plan, scoredAtMicros, info);
  }

  @Override
  public PCollection<CommitOutcome> expand(PBegin begin) {
    if (!plan.hasWork()) {
      throw new IllegalArgumentException(
          "ScoreBars: nothing to score (" + plan.idleReason().orElse("") + ")");
    }
    List<Map<String, String>> partitions =
        plan.touchedSymbols().stream()
            .map(s -> Map.of("interval", FeaturesBatch.INTERVAL, "symbol", s))
            .toList();
    return begin
        .apply(
            "TouchedSymbols",
            Create.of(partitions)
                .withCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(
            "ReadFeatures",
            DeltaIO.readPartitions()
                .from(CatalogTables.spec(TableCatalog.GOLD_FEATURES, plan.lakeRoot()))
                .atVersion(plan.featuresVersion()))
        .apply(
            "KeyBySymbol",
            WithKeys.of((GenericRecord r) -> r.get("symbol").toString())
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, FeatureRecords.SCHEMA)))
        .apply("GroupBySymbol", GroupByKey.create())
        .apply("Score", ParDo.of(new ScoreFn(plan, scoredAtMicros)))
        .setCoder(AvroCoder.of(GenericRecord.class, SCHEMA))
        .apply(
            "WritePredictions",
            DeltaIO.write()
                .to(CatalogTables.spec(TableCatalog.GOLD_PREDICTIONS, plan.lakeRoot()))
                .withTransaction(ScoringPlan.appId(), plan.featuresVersion())
                .withBaseVersion(plan.predictionsVersion())
                .withCommitInfo(commitInfo));
  }

  /** One symbol's rows → its predictions, in one batch per model. */
  static final class ScoreFn extends DoFn<KV<String, Iterable<GenericRecord>>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final ScoringPlan plan;
    private final long scoredAt;
    private final Counter scored = Metrics.counter(METRICS, "rows_scored");
    private final Counter incomplete = Metrics.counter(METRICS, "rows_incomplete");
    private final Counter inSample = Metrics.counter(METRICS, "rows_in_sample");

    ScoreFn(ScoringPlan plan, long scoredAt) {
      this.plan = plan;
      this.scoredAt = scoredAt;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<GenericRecord>> symbolRows,
        OutputReceiver<GenericRecord> out) {
      ScoringPlan.Scorer direction = plan.direction().orElseThrow();
      List<FeatureRow> rows = new ArrayList<>();
      for (GenericRecord r : symbolRows.getValue()) {
        FeatureRow row = FeatureRecords.fromRecord(r);
        if (row.barStartMicros() <= direction.trainToMicros()) {
          inSample.inc();
        } else if (!row.complete()) {
          incomplete.inc();
        } else {
          rows.add(row);
        }
      }
      if (rows.isEmpty()) {
        return;
      }
      int d = FeatureSchema.NAMES.size();
      float[] matrix = new float[rows.size() * d];
      for (int i = 0; i < rows.size(); i++) {
        for (int j = 0; j < d; j++) {
          matrix[i * d + j] = (float) rows.get(i).features()[j];
        }
      }
      double[] up = direction.model().predict(matrix, rows.size(), d);
      double[] ret =
          plan.returns().map(s -> s.model().predict(matrix, rows.size(), d)).orElse(null);
      for (int i = 0; i < rows.size(); i++) {
        FeatureRow row = rows.get(i);
        GenericRecord p = new GenericData.Record(SCHEMA);
        p.put("model_id", direction.modelId());
        p.put("symbol", row.symbol());
        p.put("interval", FeaturesBatch.INTERVAL);
        p.put("bar_start", row.barStartMicros());
        p.put("trade_date", FeatureRecords.tradeDate(row.barStartMicros()));
        p.put("close", row.close());
        p.put("probability_up", up[i]);
        p.put("predicted_up", up[i] > 0.5 ? 1 : 0);
        p.put("predicted_return", ret == null ? null : ret[i]);
        p.put("predicted_close", ret == null ? null : row.close() * Math.exp(ret[i]));
        p.put("return_model_id", plan.returns().map(ScoringPlan.Scorer::modelId).orElse(null));
        p.put("features_version", plan.featuresVersion());
        p.put("realised_up", row.labelUp());
        p.put("realised_return", row.labelReturn());
        p.put("realised_close", row.labelClose());
        p.put("scored_at", scoredAt);
        scored.inc();
        out.output(p);
      }
    }
  }
}

package dev.ticklake.transforms.training;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.features.FeatureRecords;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSchema;
import dev.ticklake.transforms.features.FeaturesBatch;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code train-model} batch: the {@code gold/features} snapshot of a {@link TrainingPlan} →
 * models in {@code gold/models}. Each (kind, scope) model — a direction classifier and a return
 * regressor over the universe of all symbols, and optionally per symbol — is grouped to one worker,
 * evaluated walk-forward beside its baselines ({@link WalkForwardEvaluation}) and registered with
 * its metrics, importance and booster. The champion flag moves only as {@link ChampionPolicy}
 * decides; the previous champion's row is then rewritten with the flag cleared, in the same commit.
 *
 * <p>Guarantees: bounded; one atomic, idempotent commit ({@code SetTransaction("gold/models:
 * gold/features", featuresVersion)}: a features version is trained on once, a re-run is SKIPPED);
 * model ids and rows are deterministic for the same data, settings and plan. A model whose data is
 * too small for its folds is skipped with the reason logged and counted ({@code
 * training.models_skipped}); no model is written without metrics.
 */
public final class TrainModel extends PTransform<PBegin, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TrainModel.class);
  static final String METRICS = "training";
  public static final String UNIVERSE = "universe";

  /**
   * What to train and how.
   *
   * @param kinds the model kinds to train
   * @param perSymbol also train one model per symbol
   * @param walkForward the evaluation's folds
   * @param params XGBoost settings (with the seed)
   * @param codeVersion recorded with every model
   * @param createdAtMicros the models' created time (the plan's time: identical on every runner)
   */
  public record Settings(
      List<ModelKind> kinds,
      boolean perSymbol,
      WalkForward walkForward,
      XgbParams params,
      String codeVersion,
      long createdAtMicros)
      implements Serializable {
    public Settings {
      kinds = List.copyOf(kinds);
    }

    Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("xgboost", params);
      m.put("walk_forward", walkForward);
      m.put("label_horizon_bars", FeatureSchema.LABEL_HORIZON_BARS);
      return m;
    }
  }

  private final TrainingPlan plan;
  private final Settings settings;
  private final Map<String, String> commitInfo;

  private TrainModel(TrainingPlan plan, Settings settings, Map<String, String> commitInfo) {
    this.plan = Objects.requireNonNull(plan);
    this.settings = Objects.requireNonNull(settings);
    this.commitInfo = Map.copyOf(commitInfo);
  }

  public static TrainModel of(TrainingPlan plan, Settings settings) {
    return new TrainModel(plan, settings, Map.of());
  }

  /** Recorded with the commit (Delta userMetadata). */
  public TrainModel withCommitInfo(Map<String, String> info) {
    return new TrainModel(plan, settings, info);
  }

  @Override
  public PCollection<CommitOutcome> expand(PBegin begin) {
    if (!plan.hasWork()) {
      throw new IllegalArgumentException(
          "TrainModel: gold/features version "
              + plan.featuresVersion()
              + " has been trained on already; check TrainingPlan.hasWork()");
    }
    return begin
        .apply(
            "ReadFeatures",
            DeltaIO.read()
                .from(CatalogTables.spec(TableCatalog.GOLD_FEATURES, plan.lakeRoot()))
                .atVersion(plan.featuresVersion())
                .withPartitionFilter(p -> FeaturesBatch.INTERVAL.equals(p.get("interval"))))
        .apply("KeyByModel", ParDo.of(new KeyByModelFn(settings)))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, FeatureRecords.SCHEMA)))
        .apply("GroupByModel", GroupByKey.create())
        .apply("TrainAndEvaluate", ParDo.of(new TrainFn(plan, settings)))
        .setCoder(AvroCoder.of(GenericRecord.class, RegisteredModel.SCHEMA))
        .apply(
            "WriteModels",
            DeltaIO.write()
                .to(CatalogTables.spec(TableCatalog.GOLD_MODELS, plan.lakeRoot()))
                .withTransaction(TrainingPlan.appId(), plan.featuresVersion())
                .withBaseVersion(plan.modelsVersion())
                .withCommitInfo(commitInfo));
  }

  /**
   * Each feature row to every model it trains: (kind, universe) and, per symbol, (kind, symbol).
   */
  static final class KeyByModelFn extends DoFn<GenericRecord, KV<String, GenericRecord>> {
    private static final long serialVersionUID = 1L;
    private final Settings settings;

    KeyByModelFn(Settings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element GenericRecord row, OutputReceiver<KV<String, GenericRecord>> out) {
      for (ModelKind kind : settings.kinds()) {
        out.output(KV.of(TrainingPlan.key(kind.label(), UNIVERSE), row));
        if (settings.perSymbol()) {
          out.output(KV.of(TrainingPlan.key(kind.label(), row.get("symbol").toString()), row));
        }
      }
    }
  }

  /** One model: evaluate, train, decide the champion flag, emit its row (and the demoted one). */
  static final class TrainFn extends DoFn<KV<String, Iterable<GenericRecord>>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final TrainingPlan plan;
    private final Settings settings;
    private final Counter trained = Metrics.counter(METRICS, "models_trained");
    private final Counter skipped = Metrics.counter(METRICS, "models_skipped");
    private final Counter champions = Metrics.counter(METRICS, "champions_moved");

    TrainFn(TrainingPlan plan, Settings settings) {
      this.plan = plan;
      this.settings = settings;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<GenericRecord>> model, OutputReceiver<GenericRecord> out) {
      String[] key = model.getKey().split("\\|", 2);
      ModelKind kind = ModelKind.of(key[0]);
      String scope = key[1];
      List<FeatureRow> rows = new ArrayList<>();
      for (GenericRecord r : model.getValue()) {
        rows.add(FeatureRecords.fromRecord(r));
      }
      Dataset data = Dataset.of(rows);
      Evaluation e;
      try {
        e =
            WalkForwardEvaluation.run(
                kind,
                data,
                settings.walkForward(),
                settings.params(),
                FeatureSchema.LABEL_HORIZON_BARS);
      } catch (NotEnoughDataException tooFew) {
        skipped.inc();
        LOG.warn(
            "train-model: skipped {} model for {}: {} ({} usable rows; left out: {})",
            kind.label(),
            scope,
            tooFew.getMessage(),
            data.size(),
            data.dropped());
        return;
      }
      TrainingPlan.Champion current = plan.champions().get(model.getKey());
      ChampionPolicy.Decision decision =
          ChampionPolicy.decide(
              e, current == null ? OptionalDouble.empty() : OptionalDouble.of(current.headline()));
      RegisteredModel.Context context =
          new RegisteredModel.Context(
              scope,
              FeaturesBatch.INTERVAL,
              plan.featuresVersion(),
              settings.describe(),
              settings.codeVersion(),
              settings.createdAtMicros());
      GenericRecord row = RegisteredModel.toRecord(e, context, data.featureNames(), decision);
      trained.inc();
      out.output(row);
      LOG.info(
          "train-model: {} model {} for {}: OOS {} vs baselines {}; champion: {} ({})",
          kind.label(),
          row.get("model_id"),
          scope,
          e.oos(),
          e.baselines(),
          decision.champion(),
          decision.reason());
      if (decision.champion() && current != null) {
        champions.inc();
        out.output(
            RegisteredModel.demoted(
                previous(current.modelId(), kind), "replaced by " + row.get("model_id")));
      } else if (decision.champion()) {
        champions.inc();
      }
    }

    private GenericRecord previous(String modelId, ModelKind kind) {
      return DeltaTable.at(TableCatalog.GOLD_MODELS.location(plan.lakeRoot()))
          .scan()
          .atVersion(plan.modelsVersion())
          .withPartitionFilter(p -> kind.label().equals(p.get("kind")))
          .rows()
          .stream()
          .filter(r -> modelId.equals(r.get("model_id").toString()))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("champion " + modelId + " is not in gold/models"));
    }
  }
}

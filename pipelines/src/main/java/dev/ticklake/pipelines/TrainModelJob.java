package dev.ticklake.pipelines;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.training.ModelKind;
import dev.ticklake.transforms.training.TrainModel;
import dev.ticklake.transforms.training.TrainingPlan;
import dev.ticklake.transforms.training.WalkForward;
import dev.ticklake.transforms.training.XgbParams;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code gold/features} → {@code gold/models}: trains and evaluates walk-forward a direction
 * classifier and a return regressor (see {@link TrainModel}), once per {@code gold/features}
 * version; prints each model's out-of-sample metrics beside its baselines. With too little data
 * every model is skipped with the reason (status COMMITTED with no model: the features version is
 * marked as done; the next Gold batch brings more bars and a new version).
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.TrainModelJob --lakeRoot=./lake --folds=5 --seed=42
 * </pre>
 */
public final class TrainModelJob {
  private TrainModelJob() {}

  /** Options of the training job. */
  public interface Options extends TickLakeOptions {
    @Description("Walk-forward test folds")
    @Default.Integer(5)
    Integer getFolds();

    void setFolds(Integer value);

    @Description("Bars dropped between train, validation and test (>= the label horizon, 1)")
    @Default.Integer(1)
    Integer getPurgeGap();

    void setPurgeGap(Integer value);

    @Description("Time steps (bars) trained on before the first test fold")
    @Default.Integer(60)
    Integer getMinTrainSteps();

    void setMinTrainSteps(Integer value);

    @Description("Training window: EXPANDING or ROLLING")
    @Default.Enum("EXPANDING")
    WalkForward.Mode getWindow();

    void setWindow(WalkForward.Mode value);

    @Description("Steps of a rolling training window")
    @Default.Integer(500)
    Integer getRollingWindow();

    void setRollingWindow(Integer value);

    @Description("Share of each training window used for early stopping")
    @Default.Double(0.2)
    Double getValidationFraction();

    void setValidationFraction(Double value);

    @Description("Random seed of XGBoost (same data + seed = same model)")
    @Default.Long(42)
    Long getSeed();

    void setSeed(Long value);

    @Description("XGBoost learning rate")
    @Default.Double(0.05)
    Double getEta();

    void setEta(Double value);

    @Description("XGBoost tree depth")
    @Default.Integer(3)
    Integer getMaxDepth();

    void setMaxDepth(Integer value);

    @Description("XGBoost boosting rounds before early stopping")
    @Default.Integer(300)
    Integer getMaxRounds();

    void setMaxRounds(Integer value);

    @Description("Also train one model per symbol")
    @Default.Boolean(false)
    Boolean getPerSymbol();

    void setPerSymbol(Boolean value);

    @Description("Code version recorded with each model")
    @Default.String("dev")
    String getCodeVersion();

    void setCodeVersion(String value);
  }

  /**
   * What a batch did: status, the features version trained on, models trained and skipped, the
   * commit, and one line per registered model (metrics beside baselines).
   */
  public record Result(
      BatchStatus status,
      long featuresVersion,
      long modelsTrained,
      long modelsSkipped,
      CommitReport commit,
      List<String> models) {
    @Override
    public String toString() {
      if (status == BatchStatus.NOTHING_NEW) {
        return "train-model: gold/features version "
            + featuresVersion
            + " has been trained on already (or does not exist); nothing trained";
      }
      StringBuilder b =
          new StringBuilder("train-model: gold/features version ")
              .append(featuresVersion)
              .append(": ")
              .append(status)
              .append(", ")
              .append(modelsTrained)
              .append(" model(s) trained, ")
              .append(modelsSkipped)
              .append(" skipped");
      if (modelsSkipped > 0) {
        b.append(" (too few labelled bars with complete features: see the log;")
            .append(" each symbol's first 50 bars are indicator warm-up)");
      }
      for (String m : models) {
        b.append("\n  ").append(m);
      }
      return b.toString();
    }
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineRuns.runMain(() -> run(options));
  }

  /** The training settings of {@code options}; {@code now} is the models' created time. */
  public static TrainModel.Settings settings(Options options, Instant now) {
    WalkForward walkForward =
        new WalkForward(
            options.getFolds(),
            options.getWindow(),
            options.getRollingWindow(),
            options.getPurgeGap(),
            options.getMinTrainSteps(),
            options.getValidationFraction());
    XgbParams defaults = XgbParams.defaults(options.getSeed());
    XgbParams params =
        new XgbParams(
            options.getEta(),
            options.getMaxDepth(),
            defaults.subsample(),
            defaults.colsampleByTree(),
            defaults.minChildWeight(),
            defaults.lambda(),
            options.getMaxRounds(),
            defaults.earlyStoppingRounds(),
            options.getSeed());
    return new TrainModel.Settings(
        List.of(ModelKind.DIRECTION, ModelKind.RETURN),
        options.getPerSymbol(),
        walkForward,
        params,
        options.getCodeVersion(),
        ChronoUnit.MICROS.between(Instant.EPOCH, now));
  }

  /** Runs one batch and waits for it. */
  public static Result run(Options options) {
    PipelineRuns.useHadoopSettings(options);
    TrainingPlan plan = TrainingPlan.plan(options.getLakeRoot());
    if (!plan.hasWork()) {
      return new Result(BatchStatus.NOTHING_NEW, plan.featuresVersion(), 0, 0, null, List.of());
    }
    TrainModel.Settings settings = settings(options, Instant.now());
    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply(
        "TrainModel",
        TrainModel.of(plan, settings)
            .withCommitInfo(PipelineRuns.commitInfo(options, "train-model")));
    PipelineResult result = PipelineRuns.runAndWait(p);
    CommitReport report = CommitReport.of(result, TableCatalog.GOLD_MODELS.id());
    List<String> models = new ArrayList<>();
    if (report.status() == CommitOutcome.Status.COMMITTED) {
      List<GenericRecord> rows =
          new ArrayList<>(
              DeltaTable.at(TableCatalog.GOLD_MODELS.location(options.getLakeRoot()))
                  .scan()
                  .atVersion(report.tableVersion())
                  .rows());
      rows.sort(Comparator.comparing(r -> r.get("model_id").toString()));
      for (GenericRecord r : rows) {
        if (((Long) r.get("features_version")) == plan.featuresVersion()) {
          models.add(
              r.get("model_id")
                  + " OOS "
                  + r.get("oos_metrics_json")
                  + " baselines "
                  + r.get("baseline_metrics_json")
                  + " champion="
                  + r.get("champion")
                  + " ("
                  + r.get("champion_reason")
                  + ")");
        }
      }
    }
    return new Result(
        BatchStatus.of(report),
        plan.featuresVersion(),
        counter(result, "models_trained"),
        counter(result, "models_skipped"),
        report,
        List.copyOf(models));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("training", name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}

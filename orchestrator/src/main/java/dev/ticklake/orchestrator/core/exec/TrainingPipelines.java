package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetNaming;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.pipelines.BacktestJob;
import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildFeaturesJob;
import dev.ticklake.pipelines.ScoreJob;
import dev.ticklake.pipelines.TrainModelJob;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import java.util.List;
import java.util.Map;

/**
 * The training pipelines, registered through the {@link PipelineProvider} SPI: {@code
 * build-features}, {@code train-model}, {@code score} and {@code backtest} (the shipped {@code
 * training} DAG runs them in that order). Each reports the versions it read and the versions it
 * committed as lineage, so a model's row in {@code gold/models} traces back to the features (and
 * through them the Gold bars) it was trained on.
 *
 * <p>Too little data is a clear skip, never an error: {@code train-model} reports status {@code
 * TOO_FEW_BARS} with the reason when every model was skipped, {@code score} reports {@code
 * NOTHING_NEW} with the reason (e.g. no champion yet).
 */
public final class TrainingPipelines implements PipelineProvider {

  @Override
  public void registerInto(Pipelines pipelines) {
    pipelines.register("build-features", TrainingPipelines::buildFeatures);
    pipelines.register("train-model", TrainingPipelines::trainModel);
    pipelines.register("score", TrainingPipelines::score);
    pipelines.register("backtest", TrainingPipelines::backtest);
  }

  private static PipelineOutcome buildFeatures(Map<String, String> options, RunContext ctx) {
    BuildFeaturesJob.Options o =
        Pipelines.options(BuildFeaturesJob.Options.class, options, ctx, false);
    BuildFeaturesJob.Result r = BuildFeaturesJob.run(o);
    DatasetVersion in =
        changesRead(
            table(o.getLakeRoot(), TableCatalog.GOLD_BARS_1D),
            r.status(),
            r.barsFromExclusive(),
            r.barsVersion());
    return outcome(
        r.status().name(),
        r.toString(),
        new TaskLineage(List.of(in), committed(o.getLakeRoot(), r.commit())));
  }

  private static PipelineOutcome trainModel(Map<String, String> options, RunContext ctx) {
    TrainModelJob.Options o = Pipelines.options(TrainModelJob.Options.class, options, ctx, false);
    TrainModelJob.Result r = TrainModelJob.run(o);
    String status =
        r.status() == BatchStatus.COMMITTED && r.modelsTrained() == 0 && r.modelsSkipped() > 0
            ? "TOO_FEW_BARS"
            : r.status().name();
    List<DatasetVersion> in = featuresSnapshotRead(o.getLakeRoot(), r.featuresVersion());
    return outcome(
        status, r.toString(), new TaskLineage(in, committed(o.getLakeRoot(), r.commit())));
  }

  private static PipelineOutcome score(Map<String, String> options, RunContext ctx) {
    ScoreJob.Options o = Pipelines.options(ScoreJob.Options.class, options, ctx, false);
    ScoreJob.Result r = ScoreJob.run(o);
    DatasetVersion in =
        changesRead(
            table(o.getLakeRoot(), TableCatalog.GOLD_FEATURES),
            r.status(),
            r.featuresFromExclusive(),
            r.featuresVersion());
    return outcome(
        r.status().name(),
        r.toString(),
        new TaskLineage(List.of(in), committed(o.getLakeRoot(), r.commit())));
  }

  private static PipelineOutcome backtest(Map<String, String> options, RunContext ctx) {
    BacktestJob.Options o = Pipelines.options(BacktestJob.Options.class, options, ctx, false);
    BacktestJob.Result r = BacktestJob.run(o);
    List<DatasetVersion> in = featuresSnapshotRead(o.getLakeRoot(), r.featuresVersion());
    return outcome(
        r.status().name(),
        r.toString(),
        new TaskLineage(in, committed(o.getLakeRoot(), r.commit())));
  }

  /** The source changes a batch read, or "nothing new" when it read none. */
  private static DatasetVersion changesRead(
      Dataset source, BatchStatus status, long fromExclusive, long version) {
    return status == BatchStatus.NOTHING_NEW
        ? new DatasetVersion(source, DatasetVersion.NOTHING_NEW)
        : DatasetVersion.changes(source, fromExclusive, version);
  }

  /** The features snapshot a step read, if the table existed. */
  private static List<DatasetVersion> featuresSnapshotRead(String lakeRoot, long version) {
    return version < 0
        ? List.of()
        : List.of(DatasetVersion.snapshot(table(lakeRoot, TableCatalog.GOLD_FEATURES), version));
  }

  private static PipelineOutcome outcome(String status, String report, TaskLineage lineage) {
    return new PipelineOutcome(
        status, Pipelines.oneLine(report), Map.of(PipelineOutcome.DETAIL, report), lineage);
  }

  private static Dataset table(String lakeRoot, TableDef t) {
    return DatasetNaming.table(lakeRoot, t.id());
  }

  private static List<DatasetVersion> committed(String lakeRoot, CommitReport report) {
    if (report == null || report.status() != CommitOutcome.Status.COMMITTED) {
      return List.of();
    }
    return List.of(
        DatasetVersion.snapshot(
            DatasetNaming.table(lakeRoot, report.table()), report.tableVersion()));
  }
}

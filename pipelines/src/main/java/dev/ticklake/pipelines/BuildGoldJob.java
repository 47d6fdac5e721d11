package dev.ticklake.pipelines;

import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.gold.BuildGold;
import dev.ticklake.transforms.gold.GoldBatch;
import dev.ticklake.transforms.indicators.AnomalyDetector;
import dev.ticklake.transforms.util.Summaries;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code silver/ticks} → {@code gold/bars_1m}, {@code gold/bars_1d}, {@code gold/anomalies}, {@code
 * gold/daily_metrics}: one incremental, exactly-once batch (see {@link BuildGold} and {@link
 * GoldBatch}). Reads Silver's changes since the position each Gold table stored, recomputes only
 * the partitions they affect, and commits each table with its new position. A batch with nothing
 * new runs no pipeline; a re-run of a committed batch is SKIPPED table by table.
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.BuildGoldJob --lakeRoot=./lake --anomalyWindow=60
 * </pre>
 */
public final class BuildGoldJob {
  private BuildGoldJob() {}

  /** Options of the Gold job. */
  public interface Options extends TickLakeOptions {
    @Description("Anomaly detection: number of previous one-minute log returns in the window")
    @Default.Integer(AnomalyDetector.DEFAULT_WINDOW)
    Integer getAnomalyWindow();

    void setAnomalyWindow(Integer value);

    @Description("Anomaly detection: |z-score| above which a bar is an anomaly")
    @Default.Double(AnomalyDetector.DEFAULT_THRESHOLD)
    Double getAnomalyThreshold();

    void setAnomalyThreshold(Double value);
  }

  /**
   * What a batch did: the overall status (COMMITTED when any table committed, SKIPPED when every
   * table had already committed this batch, NOTHING_NEW when Silver had not moved), the Silver
   * range and one commit report per Gold table (empty for NOTHING_NEW). {@code minuteBarsVersion}
   * and {@code dailyBarsVersion} are the versions of {@code gold/bars_1m} and {@code gold/bars_1d}
   * the batch read its history from, {@code barStateVersion} the version of {@code gold/bar_state}
   * whose saved folds it continued (-1: none, or a full rebuild); lineage records them as inputs.
   */
  public record Result(
      BatchStatus status,
      long silverFromExclusive,
      long silverVersion,
      List<String> touchedDates,
      List<CommitReport> commits,
      long minuteBarsVersion,
      long dailyBarsVersion,
      long barStateVersion) {

    @Override
    public String toString() {
      if (status == BatchStatus.NOTHING_NEW) {
        return "gold: silver/ticks has not moved since version "
            + silverFromExclusive
            + "; nothing committed";
      }
      return "gold: silver/ticks ("
          + silverFromExclusive
          + ", "
          + silverVersion
          + "], "
          + Summaries.dates(touchedDates)
          + ": "
          + status
          + "\n  "
          + String.join("\n  ", commits.stream().map(CommitReport::toString).toList());
    }
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineRuns.runMain(() -> run(options));
  }

  /** Runs one batch and waits for it. */
  public static Result run(Options options) {
    PipelineRuns.useHadoopSettings(options);
    GoldBatch batch = GoldBatch.plan(options.getLakeRoot());
    if (!batch.hasWork()) {
      return new Result(
          BatchStatus.NOTHING_NEW,
          batch.fromExclusive(),
          batch.silverVersion(),
          batch.touchedDates(),
          List.of(),
          -1,
          -1,
          -1);
    }
    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply(
        "BuildGold",
        BuildGold.of(batch)
            .withAnomalyDetection(options.getAnomalyWindow(), options.getAnomalyThreshold())
            .withCommitInfo(PipelineRuns.commitInfo(options, "build-gold"))
            .withFileKeys(PipelineRuns.bucketKeys(options)));
    PipelineResult result = PipelineRuns.runAndWait(p);
    List<CommitReport> reports = new ArrayList<>();
    boolean anyCommitted = false;
    for (TableDef table : GoldBatch.TABLES) {
      CommitReport report = CommitReport.of(result, table.id());
      anyCommitted |= report.status() == CommitOutcome.Status.COMMITTED;
      reports.add(report);
    }
    return new Result(
        anyCommitted ? BatchStatus.COMMITTED : BatchStatus.SKIPPED,
        batch.fromExclusive(),
        batch.silverVersion(),
        batch.touchedDates(),
        List.copyOf(reports),
        batch.minuteBarsVersion(),
        batch.dailyBarsVersion(),
        batch.rebuildsEverything() ? -1 : batch.barStateVersion());
  }
}

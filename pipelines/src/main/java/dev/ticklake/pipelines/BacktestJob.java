package dev.ticklake.pipelines;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.backtest.BacktestReport;
import dev.ticklake.transforms.backtest.BacktestStrategies;
import dev.ticklake.transforms.backtest.QLearningTrader;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.training.XgbParams;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code gold/features} → {@code gold/backtests}: buy-and-hold, Q-learning and the XGBoost signal,
 * out of sample, per symbol (see {@link BacktestStrategies}); once per features version. Prints the
 * report as a table.
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.BacktestJob --lakeRoot=./lake --cost=0.0005
 * </pre>
 */
public final class BacktestJob {
  private BacktestJob() {}

  /** Options of the backtest job. */
  public interface Options extends TickLakeOptions {
    @Description("Transaction cost per unit of position change (0.0005 = 5 bp)")
    @Default.Double(0.0005)
    Double getCost();

    void setCost(Double value);

    @Description("Allow short positions (Q-learning actions long/flat/short)")
    @Default.Boolean(false)
    Boolean getAllowShort();

    void setAllowShort(Boolean value);

    @Description("Q-learning training episodes over the training bars")
    @Default.Integer(200)
    Integer getEpisodes();

    void setEpisodes(Integer value);

    @Description("Last share of each symbol's bars used as the out-of-sample test period")
    @Default.Double(0.3)
    Double getTestFraction();

    void setTestFraction(Double value);

    @Description("Seed of the Q-learning exploration and of the signal model")
    @Default.Long(42)
    Long getSeed();

    void setSeed(Long value);
  }

  /** What a run did, with its printed report. */
  public record Result(
      BatchStatus status,
      long featuresVersion,
      String backtestId,
      CommitReport commit,
      String report) {
    @Override
    public String toString() {
      if (status == BatchStatus.NOTHING_NEW) {
        return "backtest: gold/features version "
            + featuresVersion
            + " has been backtested already (or does not exist)";
      }
      return "backtest " + backtestId + ": " + status + "\n  " + commit + "\n" + report;
    }
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineRuns.runMain(() -> run(options));
  }

  /** Runs once and waits. */
  public static Result run(Options options) {
    PipelineRuns.useHadoopSettings(options);
    String root = options.getLakeRoot();
    long features = DeltaTable.at(TableCatalog.GOLD_FEATURES.location(root)).latestVersion();
    DeltaTable backtests = DeltaTable.at(TableCatalog.GOLD_BACKTESTS.location(root));
    DeltaTable.Position position = backtests.position(BacktestStrategies.Plan.appId());
    if (features < 0 || position.txnVersion() >= features) {
      return new Result(BatchStatus.NOTHING_NEW, features, null, null, "");
    }
    QLearningTrader.Settings settings =
        new QLearningTrader.Settings(
            options.getAllowShort(),
            options.getEpisodes(),
            0.1,
            0.9,
            0.3,
            options.getCost(),
            options.getSeed());
    BacktestStrategies.Plan plan =
        new BacktestStrategies.Plan(
            root,
            features,
            options.getTestFraction(),
            XgbParams.defaults(options.getSeed()),
            settings,
            ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply(
        "BacktestStrategies",
        BacktestStrategies.of(plan).withCommitInfo(PipelineRuns.commitInfo(options, "backtest")));
    PipelineResult result = PipelineRuns.runAndWait(p);
    CommitReport report = CommitReport.of(result, TableCatalog.GOLD_BACKTESTS.id());
    List<BacktestReport.Line> lines = new ArrayList<>();
    if (report.status() == CommitOutcome.Status.COMMITTED) {
      for (GenericRecord r : backtests.scan().atVersion(report.tableVersion()).rows()) {
        if ("summary".equals(r.get("row_kind").toString())
            && plan.backtestId().equals(r.get("backtest_id").toString())) {
          lines.add(
              new BacktestReport.Line(
                  r.get("symbol").toString(),
                  r.get("strategy").toString(),
                  (Double) r.get("total_return"),
                  r.get("sharpe") == null ? Double.NaN : (Double) r.get("sharpe"),
                  (Double) r.get("max_drawdown"),
                  (Long) r.get("trades"),
                  (Double) r.get("costs_paid")));
        }
      }
    }
    return new Result(
        BatchStatus.of(report), features, plan.backtestId(), report, BacktestReport.print(lines));
  }
}

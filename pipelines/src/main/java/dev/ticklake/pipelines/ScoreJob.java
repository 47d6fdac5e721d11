package dev.ticklake.pipelines;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.training.ScoreBars;
import dev.ticklake.transforms.training.ScoringPlan;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code gold/features} → {@code gold/predictions} with the universe champions (see {@link
 * ScoreBars}): incremental by the features' Delta version, exactly once. With no champion yet, or
 * nothing new, no pipeline runs and the result says why.
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.ScoreJob --lakeRoot=./lake
 * </pre>
 */
public final class ScoreJob {
  private ScoreJob() {}

  /** Options of the scoring job. */
  public interface Options extends TickLakeOptions {}

  /** What a batch did; {@code reason} says why nothing ran (NOTHING_NEW). */
  public record Result(
      BatchStatus status,
      long featuresFromExclusive,
      long featuresVersion,
      List<String> symbols,
      String modelId,
      CommitReport commit,
      String reason) {
    @Override
    public String toString() {
      if (status == BatchStatus.NOTHING_NEW) {
        return "score: nothing scored: " + reason;
      }
      return "score: gold/features ("
          + featuresFromExclusive
          + ", "
          + featuresVersion
          + "], symbols "
          + symbols
          + ", model "
          + modelId
          + ": "
          + status
          + "\n  "
          + commit;
    }
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineRuns.runMain(() -> run(options));
  }

  /** Runs one batch and waits for it. */
  public static Result run(Options options) {
    PipelineRuns.useHadoopSettings(options);
    ScoringPlan plan = ScoringPlan.plan(options.getLakeRoot());
    if (!plan.hasWork()) {
      return new Result(
          BatchStatus.NOTHING_NEW,
          plan.fromExclusive(),
          plan.featuresVersion(),
          plan.touchedSymbols(),
          plan.direction().map(ScoringPlan.Scorer::modelId).orElse(null),
          null,
          plan.idleReason().orElse(""));
    }
    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply(
        "ScoreBars",
        ScoreBars.of(plan, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()))
            .withCommitInfo(PipelineRuns.commitInfo(options, "score")));
    PipelineResult result = PipelineRuns.runAndWait(p);
    CommitReport report = CommitReport.of(result, TableCatalog.GOLD_PREDICTIONS.id());
    return new Result(
        BatchStatus.of(report),
        plan.fromExclusive(),
        plan.featuresVersion(),
        plan.touchedSymbols(),
        plan.direction().orElseThrow().modelId(),
        report,
        null);
  }
}

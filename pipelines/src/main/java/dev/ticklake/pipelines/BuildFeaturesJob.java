package dev.ticklake.pipelines;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.features.BuildFeatures;
import dev.ticklake.transforms.features.FeaturesBatch;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code gold/bars_1d} → {@code gold/features}: one incremental, exactly-once batch (see {@link
 * BuildFeatures} and {@link FeaturesBatch}). Recomputes the features of the symbols whose Gold bars
 * changed since the position stored in {@code gold/features}; a batch with nothing new runs no
 * pipeline; a re-run of a committed batch is SKIPPED.
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.BuildFeaturesJob --lakeRoot=./lake [--interval=1m]
 * </pre>
 *
 * <p>{@code --interval=1m} builds the optional one-minute features from {@code gold/bars_1m} into
 * the {@code interval=1m} partitions of {@code gold/features}, with their own position.
 */
public final class BuildFeaturesJob {
  private BuildFeaturesJob() {}

  /** Options of the features job. */
  public interface Options extends TickLakeOptions {
    @Description("Bar interval: 1d (gold/bars_1d, the default) or 1m (gold/bars_1m)")
    @Default.String(FeaturesBatch.INTERVAL)
    String getInterval();

    void setInterval(String value);
  }

  /**
   * What a batch did: its status, the bars range {@code (barsFromExclusive, barsVersion]} it
   * consumed, the symbols it recomputed, the commit report (null for NOTHING_NEW) and the bar table
   * read ({@code gold/bars_1d}, or {@code gold/bars_1m} for {@code --interval=1m}).
   */
  public record Result(
      BatchStatus status,
      long barsFromExclusive,
      long barsVersion,
      List<String> symbols,
      CommitReport commit,
      String source) {
    @Override
    public String toString() {
      if (status == BatchStatus.NOTHING_NEW) {
        return "features: "
            + source
            + " has not moved since version "
            + barsFromExclusive
            + "; nothing committed";
      }
      return "features: "
          + source
          + " ("
          + barsFromExclusive
          + ", "
          + barsVersion
          + "], symbols "
          + symbols
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
    FeaturesBatch batch = FeaturesBatch.plan(options.getLakeRoot(), options.getInterval());
    if (!batch.hasWork()) {
      return new Result(
          BatchStatus.NOTHING_NEW,
          batch.fromExclusive(),
          batch.barsVersion(),
          batch.touchedSymbols(),
          null,
          batch.source().id());
    }
    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply(
        "BuildFeatures",
        BuildFeatures.of(batch).withCommitInfo(PipelineRuns.commitInfo(options, "build-features")));
    PipelineResult result = PipelineRuns.runAndWait(p);
    CommitReport report = CommitReport.of(result, TableCatalog.GOLD_FEATURES.id());
    return new Result(
        BatchStatus.of(report),
        batch.fromExclusive(),
        batch.barsVersion(),
        batch.touchedSymbols(),
        report,
        batch.source().id());
  }
}

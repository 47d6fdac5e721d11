package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.features.FeatureLake;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four training jobs in DAG order on the DirectRunner: statuses, skips and reports. */
class TrainingJobsTest {
  @TempDir Path dir;

  @Test
  void featuresTrainScoreBacktestThenNothingNew() {
    String root = dir.toString();
    assertThat(BuildFeaturesJob.run(options(BuildFeaturesJob.Options.class, root)).status())
        .isEqualTo(BatchStatus.NOTHING_NEW);
    ScoreJob.Result noFeatures = ScoreJob.run(options(ScoreJob.Options.class, root));
    assertThat(noFeatures.status()).isEqualTo(BatchStatus.NOTHING_NEW);
    assertThat(noFeatures.reason()).contains("run build-features");

    FeatureLake lake = new FeatureLake(root);
    for (String s : List.of("AAA", "BBB")) {
      lake.writeDailyBars(s, FeatureLake.randomDailyBars(220, s.hashCode()));
    }
    BuildFeaturesJob.Result features =
        BuildFeaturesJob.run(options(BuildFeaturesJob.Options.class, root));
    assertThat(features.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(features.symbols()).containsExactly("AAA", "BBB");
    assertThat(features.commit().rowsCommitted()).isEqualTo(440);

    TrainModelJob.Options train = options(TrainModelJob.Options.class, root);
    train.setFolds(3);
    TrainModelJob.Result trained = TrainModelJob.run(train);
    assertThat(trained.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(trained.modelsTrained()).isEqualTo(2);
    assertThat(trained.modelsSkipped()).isZero();
    assertThat(trained.models()).hasSize(2);
    assertThat(trained.toString()).contains("OOS {\"auc\":").contains("baselines {\"majority\"");
    assertThat(TrainModelJob.run(train).status()).isEqualTo(BatchStatus.NOTHING_NEW);

    // scoring needs a champion; on random walks a model rarely beats the baselines: either way
    // the result says what happened
    ScoreJob.Result scored = ScoreJob.run(options(ScoreJob.Options.class, root));
    boolean champion =
        DeltaTable.at(TableCatalog.GOLD_MODELS.location(root)).scan().rows().stream()
            .anyMatch(
                (GenericRecord r) ->
                    Boolean.TRUE.equals(r.get("champion"))
                        && r.get("kind").toString().equals("direction"));
    if (champion) {
      assertThat(scored.status()).isEqualTo(BatchStatus.COMMITTED);
    } else {
      assertThat(scored.status()).isEqualTo(BatchStatus.NOTHING_NEW);
      assertThat(scored.reason()).contains("no champion direction model");
    }

    BacktestJob.Result backtest = BacktestJob.run(options(BacktestJob.Options.class, root));
    assertThat(backtest.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(backtest.report())
        .contains("buy_and_hold")
        .contains("q_learning")
        .contains("xgboost_signal")
        .contains("AAA")
        .contains("BBB");
    assertThat(BacktestJob.run(options(BacktestJob.Options.class, root)).status())
        .isEqualTo(BatchStatus.NOTHING_NEW);
  }

  @Test
  void tooFewBarsIsAClearSkip() {
    String root = dir.toString();
    new FeatureLake(root).writeDailyBars("AAA", FeatureLake.randomDailyBars(100, 1));
    BuildFeaturesJob.run(options(BuildFeaturesJob.Options.class, root));
    TrainModelJob.Result r = TrainModelJob.run(options(TrainModelJob.Options.class, root));
    assertThat(r.modelsTrained()).isZero();
    assertThat(r.modelsSkipped()).isEqualTo(2);
    assertThat(r.toString()).contains("too few labelled bars");
  }

  private static <T extends TickLakeOptions> T options(Class<T> type, String root) {
    return PipelineOptionsFactory.fromArgs("--lakeRoot=" + root, "--runId=test").as(type);
  }
}

package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.backtest.BacktestStrategies;
import dev.ticklake.transforms.backtest.QLearningTrader;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.features.FeatureLake;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four training steps on FlinkRunner [local] and on the DirectRunner give the same features,
 * the same models (byte-equal boosters and metrics; xgboost's native library loads from its jar in
 * Flink's task threads too), and then, on the lakes they built, the same rows of gold/predictions
 * and gold/backtests.
 */
class TrainingFlinkIT {
  private static final long SCORED_AT = 1_700_000_000_000_000L;

  @TempDir Path dir;

  @Test
  void flinkLocalAndDirectRunnerTrainScoreAndBacktestIdentically() {
    FeatureLake onFlink = new FeatureLake(dir.resolve("flink").toString());
    FeatureLake onDirect = new FeatureLake(dir.resolve("direct").toString());
    for (String s : List.of("AAA", "BBB", "CCC")) {
      onFlink.writeDailyBars(s, FeatureLake.randomDailyBars(200, s.hashCode()));
      onDirect.writeDailyBars(s, FeatureLake.randomDailyBars(200, s.hashCode()));
    }
    assertThat(onFlink.buildFeatures(Runners.flinkLocal()))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(onDirect.buildFeatures(Runners.direct())).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(rows(TableCatalog.GOLD_FEATURES.location(onFlink.root), "symbol", "bar_start"))
        .isEqualTo(rows(TableCatalog.GOLD_FEATURES.location(onDirect.root), "symbol", "bar_start"))
        .hasSize(600);

    assertThat(TrainModelTest.train(Runners.flinkLocal(), TrainingPlan.plan(onFlink.root)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(TrainModelTest.train(Runners.direct(), TrainingPlan.plan(onDirect.root)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    List<GenericRecord> a = TrainModelTest.registry(onFlink.root);
    List<GenericRecord> b = TrainModelTest.registry(onDirect.root);
    assertThat(a).hasSize(2);
    TrainModelTest.assertSameModels(a, b);

    // score with both registry models (champions or not: a random walk rarely makes one)
    assertThat(score(Runners.flinkLocal(), onFlink.root)).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(score(Runners.direct(), onDirect.root)).isEqualTo(CommitOutcome.Status.COMMITTED);
    List<Map<String, Object>> predictions =
        rows(TableCatalog.GOLD_PREDICTIONS.location(onDirect.root), "symbol", "bar_start");
    assertThat(rows(TableCatalog.GOLD_PREDICTIONS.location(onFlink.root), "symbol", "bar_start"))
        .isEqualTo(predictions);
    assertThat(predictions)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.get("predicted_return")).isNotNull());

    assertThat(backtest(Runners.flinkLocal(), onFlink.root))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(backtest(Runners.direct(), onDirect.root)).isEqualTo(CommitOutcome.Status.COMMITTED);
    String[] backtestKey = {"symbol", "strategy", "row_kind", "bar_start"};
    List<Map<String, Object>> backtests =
        rows(TableCatalog.GOLD_BACKTESTS.location(onDirect.root), backtestKey);
    assertThat(rows(TableCatalog.GOLD_BACKTESTS.location(onFlink.root), backtestKey))
        .isEqualTo(backtests);
    // 3 symbols x 3 strategies, one summary row each
    assertThat(backtests).filteredOn(r -> "summary".equals(r.get("row_kind"))).hasSize(9);
  }

  private static CommitOutcome.Status score(Pipeline p, String root) {
    ScoringPlan plan =
        ScoreAndBacktestTest.planWith(
            root,
            ScoreAndBacktestTest.registryScorer(root, ModelKind.DIRECTION),
            ScoreAndBacktestTest.registryScorer(root, ModelKind.RETURN));
    return ScoreAndBacktestTest.run(p, ScoreBars.of(plan, SCORED_AT));
  }

  private static CommitOutcome.Status backtest(Pipeline p, String root) {
    long features = KernelTableReader.of(TableCatalog.GOLD_FEATURES.location(root)).latestVersion();
    BacktestStrategies.Plan plan =
        new BacktestStrategies.Plan(
            root,
            features,
            0.3,
            XgbParams.defaults(3),
            QLearningTrader.Settings.defaults(3),
            SCORED_AT);
    return ScoreAndBacktestTest.run(p, BacktestStrategies.of(plan));
  }

  private static List<Map<String, Object>> rows(String table, String... key) {
    return KernelTableReader.sorted(KernelTableReader.of(table).readLatest(), key);
  }
}

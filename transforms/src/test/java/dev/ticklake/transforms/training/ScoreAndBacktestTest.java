package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.backtest.BacktestStrategies;
import dev.ticklake.transforms.backtest.QLearningTrader;
import dev.ticklake.transforms.backtest.SymbolBacktest;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.features.FeatureLake;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSeries;
import dev.ticklake.transforms.indicators.Bar;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreAndBacktestTest {
  @TempDir Path dir;

  @Test
  void scoresOnlyBarsAfterTheTrainingWindowAndJoinsTheOutcomeLater() {
    FeatureLake lake = new FeatureLake(dir.toString());
    List<Bar> bars = FeatureLake.randomDailyBars(200, 4);
    lake.writeDailyBars("AAA", bars);
    lake.buildFeatures(Runners.direct());
    TrainModelTest.train(Runners.direct(), TrainingPlan.plan(lake.root));
    ScoringPlan.Scorer scorer = registryScorer(lake.root, ModelKind.DIRECTION);
    ScoringPlan plan = planWith(lake.root, scorer, null);
    assertThat(run(Runners.direct(), ScoreBars.of(plan, 7L)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);

    List<FeatureRow> rows = FeatureSeries.compute("AAA", bars, true);
    List<FeatureRow> expected =
        rows.stream()
            .filter(r -> r.barStartMicros() > scorer.trainToMicros() && r.complete())
            .toList();
    List<GenericRecord> predictions = predictions(lake.root);
    assertThat(predictions).hasSize(expected.size()).isNotEmpty();
    for (int i = 0; i < expected.size(); i++) {
      FeatureRow row = expected.get(i);
      GenericRecord p = predictions.get(i);
      float[] x = new float[row.features().length];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) row.features()[j];
      }
      double probability = scorer.model().predict(x, 1, x.length)[0];
      assertThat(p.get("bar_start")).isEqualTo(row.barStartMicros());
      assertThat(p.get("probability_up")).isEqualTo(probability);
      assertThat(p.get("predicted_up")).isEqualTo(probability > 0.5 ? 1 : 0);
      assertThat(p.get("realised_up")).isEqualTo(row.labelUp());
      assertThat(p.get("realised_close")).isEqualTo(row.labelClose());
    }
    assertThat(predictions.get(predictions.size() - 1).get("realised_up")).isNull();

    // one more bar: the last prediction gets its outcome, the new bar its score
    List<Bar> longer = FeatureLake.randomDailyBars(201, 4);
    lake.writeDailyBars("AAA", longer);
    lake.buildFeatures(Runners.direct());
    ScoringPlan again = planWith(lake.root, scorer, null);
    assertThat(run(Runners.direct(), ScoreBars.of(again, 8L)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    List<GenericRecord> after = predictions(lake.root);
    assertThat(after).hasSize(predictions.size() + 1);
    FeatureRow formerLast = FeatureSeries.compute("AAA", longer, true).get(199);
    assertThat(after.get(after.size() - 2).get("realised_up")).isEqualTo(formerLast.labelUp());
    assertThat(after.get(after.size() - 1).get("realised_up")).isNull();

    // backtest: the stored summary rows equal SymbolBacktest run directly
    QLearningTrader.Settings settings = QLearningTrader.Settings.defaults(3);
    BacktestStrategies.Plan bt =
        new BacktestStrategies.Plan(
            lake.root,
            again.featuresVersion(),
            0.3,
            XgbParams.defaults(3),
            settings,
            1_700_000_000_000_000L);
    assertThat(run(Runners.direct(), BacktestStrategies.of(bt)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    SymbolBacktest.Run direct =
        SymbolBacktest.run(
            FeatureSeries.compute("AAA", longer, true), 0.3, XgbParams.defaults(3), settings);
    List<GenericRecord> stored =
        DeltaTable.at(TableCatalog.GOLD_BACKTESTS.location(lake.root)).scan().rows();
    assertThat(direct.outcomes())
        .extracting(SymbolBacktest.Outcome::strategy)
        .containsExactly("buy_and_hold", "q_learning", "xgboost_signal");
    for (SymbolBacktest.Outcome o : direct.outcomes()) {
      GenericRecord summary =
          stored.stream()
              .filter(
                  r ->
                      r.get("row_kind").toString().equals("summary")
                          && r.get("strategy").toString().equals(o.strategy()))
              .findFirst()
              .orElseThrow();
      assertThat(summary.get("total_return")).isEqualTo(o.result().totalReturn());
      assertThat(summary.get("max_drawdown")).isEqualTo(o.result().maxDrawdown());
      assertThat(summary.get("trades")).isEqualTo(o.result().trades());
      long equityRows =
          stored.stream()
              .filter(
                  r ->
                      r.get("row_kind").toString().equals("equity")
                          && r.get("strategy").toString().equals(o.strategy()))
              .count();
      assertThat(equityRows).isEqualTo(o.result().equity().length);
    }
  }

  /** The registry's model of {@code kind}, made a scorer whatever its champion flag says. */
  static ScoringPlan.Scorer registryScorer(String root, ModelKind kind) {
    GenericRecord model =
        TrainModelTest.registry(root).stream()
            .filter(r -> r.get("kind").toString().equals(kind.label()))
            .findFirst()
            .orElseThrow();
    return new ScoringPlan.Scorer(
        model.get("model_id").toString(),
        RegisteredModel.model(model),
        (Long) model.get("train_to"));
  }

  /** The current plan with the given scorers in place of the registry's champions. */
  static ScoringPlan planWith(
      String root, ScoringPlan.Scorer direction, ScoringPlan.Scorer returns) {
    ScoringPlan base = ScoringPlan.plan(root);
    return new ScoringPlan(
        root,
        base.fromExclusive(),
        base.featuresVersion(),
        base.predictionsVersion(),
        base.touchedSymbols(),
        direction,
        returns);
  }

  static CommitOutcome.Status run(Pipeline p, PTransform<PBegin, PCollection<CommitOutcome>> step) {
    Collected<CommitOutcome> outcomes = Collected.into();
    p.apply("Step", step).apply(outcomes);
    p.run().waitUntilFinish();
    return outcomes.elements().get(0).status();
  }

  private static List<GenericRecord> predictions(String root) {
    List<GenericRecord> rows =
        new java.util.ArrayList<>(
            DeltaTable.at(TableCatalog.GOLD_PREDICTIONS.location(root)).scan().rows());
    rows.sort(Comparator.comparingLong(r -> (Long) r.get("bar_start")));
    return rows;
  }
}

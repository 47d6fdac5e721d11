package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.transforms.features.FeatureSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The honesty of the evaluation: noise scores like noise, a real signal is found and attributed,
 * and what a leaky feature does.
 */
class LeakageGuardTest {
  private static final WalkForward FIVE_FOLDS = WalkForward.expanding(5, 1);

  @Test
  void aRandomWalkScoresChanceOutOfSample() {
    Dataset data = Dataset.of(TrainingData.randomWalk(5, 1100, 42));
    assertThat(data.size()).isGreaterThanOrEqualTo(5000);
    Evaluation e =
        WalkForwardEvaluation.run(ModelKind.DIRECTION, data, FIVE_FOLDS, XgbParams.defaults(1), 1);
    assertThat(e.oos().get("auc")).isBetween(0.45, 0.55);
    assertThat(e.oos().get("rows")).isGreaterThan(4000.0);
    // the baselines, on the same rows, are chance too; majority is a constant in each fold (AUC
    // exactly 0.5 there), a different one per fold (pooled, not exactly 0.5)
    for (Evaluation.FoldResult f : e.folds()) {
      assertThat(f.baselines().get("majority").get("auc")).isEqualTo(0.5);
    }
    assertThat(e.baselines().get("majority").get("auc")).isBetween(0.45, 0.55);
    assertThat(e.baselines().get("yesterday").get("auc")).isBetween(0.45, 0.55);
    assertThat(e.baselines().get("sma_crossover").get("auc")).isBetween(0.45, 0.55);
    assertThat(e.folds()).hasSize(5);
    assertThat(e.dropped()).containsEntry("unlabelled", 5L);

    Evaluation r =
        WalkForwardEvaluation.run(ModelKind.RETURN, data, FIVE_FOLDS, XgbParams.defaults(1), 1);
    assertThat(r.oos().get("directional_accuracy")).isBetween(0.45, 0.55);
    // no model beats predicting zero by more than noise
    assertThat(r.oos().get("rmse")).isGreaterThan(r.baselines().get("zero").get("rmse") * 0.99);
  }

  @Test
  void aPlantedSignalIsFoundAndRanksFirstInImportance() {
    Dataset data = Dataset.of(TrainingData.plantedSignal(3, 2000, "ret_3", 0.3, 5));
    Evaluation e =
        WalkForwardEvaluation.run(ModelKind.DIRECTION, data, FIVE_FOLDS, XgbParams.defaults(1), 1);
    assertThat(e.oos().get("auc")).isGreaterThanOrEqualTo(0.9);
    assertThat(first(e.importance())).isEqualTo("ret_3");
    assertThat(e.oos().get("auc")).isGreaterThan(e.bestBaseline());
  }

  /**
   * A feature that holds tomorrow's return is not something the walk-forward or the purge gap can
   * catch: they keep training labels out of the test period, but a feature column is trusted to be
   * known at its bar. The rule that prevents it is at the source: {@code FeatureCalculator} only
   * ever sees bars up to t ({@code FeatureSeriesTest.aFeatureAtBarTUsesOnlyBarsUpToT}). What the
   * evaluation does is make such a leak loud: an out-of-sample AUC this far from 0.5 on daily
   * direction is flagged by {@link ChampionPolicy#suspectedLeak} and never made champion.
   */
  @Test
  void aLeakyFeatureIsNotCaughtByThePurgeButIsFlagged() {
    List<String> names = new ArrayList<>(FeatureSchema.NAMES);
    names.add("leak_next_return");
    Dataset data =
        Dataset.of(TrainingData.withTomorrowsReturn(TrainingData.randomWalk(5, 1100, 42)), names);
    Evaluation e =
        WalkForwardEvaluation.run(ModelKind.DIRECTION, data, FIVE_FOLDS, XgbParams.defaults(1), 1);
    assertThat(e.oos().get("auc")).isGreaterThan(0.95);
    assertThat(first(e.importance())).isEqualTo("leak_next_return");
    assertThat(ChampionPolicy.suspectedLeak(e)).isPresent();
  }

  private static String first(Map<String, Double> importance) {
    return importance.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}

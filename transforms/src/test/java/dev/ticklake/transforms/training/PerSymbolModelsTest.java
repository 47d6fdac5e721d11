package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.features.FeatureLake;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSeries;
import dev.ticklake.transforms.indicators.Bar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-model with perSymbol: one model per kind and symbol beside the universe's, each trained
 * only on its symbol's rows (equal to an evaluation computed here from that symbol's bars alone),
 * and the same registry rows on a second, identical lake.
 */
class PerSymbolModelsTest {
  static final TrainModel.Settings PER_SYMBOL =
      new TrainModel.Settings(
          TrainModelTest.SETTINGS.kinds(),
          true,
          TrainModelTest.SETTINGS.walkForward(),
          TrainModelTest.SETTINGS.params(),
          TrainModelTest.SETTINGS.codeVersion(),
          TrainModelTest.SETTINGS.createdAtMicros());

  @TempDir Path dir;

  @Test
  void perSymbolModelsTrainOnlyOnTheirSymbolsRowsDeterministically() {
    Map<String, List<Bar>> bars = new TreeMap<>();
    bars.put("AAA", FeatureLake.randomDailyBars(200, 21));
    bars.put("BBB", FeatureLake.randomDailyBars(230, 22));
    String root = lakeWith(bars, "first");
    long featuresVersion = TrainingPlan.plan(root).featuresVersion();
    assertThat(train(root)).isEqualTo(CommitOutcome.Status.COMMITTED);

    List<GenericRecord> registry = TrainModelTest.registry(root);
    assertThat(registry)
        .extracting(r -> r.get("kind") + "/" + r.get("scope"))
        .containsExactlyInAnyOrder(
            "direction/universe",
            "direction/AAA",
            "direction/BBB",
            "return/universe",
            "return/AAA",
            "return/BBB");
    for (GenericRecord r : registry) {
      ModelKind kind = ModelKind.of(r.get("kind").toString());
      String scope = r.get("scope").toString();
      List<FeatureRow> rows = new ArrayList<>();
      bars.forEach(
          (symbol, series) -> {
            if (scope.equals(TrainModel.UNIVERSE) || scope.equals(symbol)) {
              rows.addAll(FeatureSeries.compute(symbol, series, true));
            }
          });
      Evaluation expected =
          WalkForwardEvaluation.run(
              kind, Dataset.of(rows), PER_SYMBOL.walkForward(), PER_SYMBOL.params(), 1);
      assertThat(RegisteredModel.model(r).booster())
          .as(scope)
          .isEqualTo(expected.model().booster());
      assertThat(r.get("rows_trained")).as(scope).isEqualTo(expected.rowsTrained());
      assertThat(r.get("train_to")).as(scope).isEqualTo(expected.trainTo());
      assertThat(RegisteredModel.headline(r))
          .as(scope)
          .isEqualTo(expected.oos().get(Evaluation.headline(kind)));
      assertThat(r.get("features_version")).isEqualTo(featuresVersion);
      assertThat(r.get("model_id").toString()).startsWith(kind.label() + "-" + scope + "-f");
      ChampionPolicy.Decision decision = ChampionPolicy.decide(expected, OptionalDouble.empty());
      assertThat(r.get("champion")).as(scope).isEqualTo(decision.champion());
    }
    // a symbol's model saw fewer rows than the universe's
    assertThat(rowsTrained(registry, "direction", "AAA"))
        .isLessThan(rowsTrained(registry, "direction", "universe"));

    // determinism: an identical lake gives identical registry rows
    String again = lakeWith(bars, "again");
    assertThat(train(again)).isEqualTo(CommitOutcome.Status.COMMITTED);
    List<GenericRecord> second = TrainModelTest.registry(again);
    TrainModelTest.assertSameModels(second, registry);
  }

  private String lakeWith(Map<String, List<Bar>> bars, String name) {
    FeatureLake lake = new FeatureLake(dir.resolve(name).toString());
    bars.forEach(lake::writeDailyBars);
    assertThat(lake.buildFeatures(Runners.direct())).isEqualTo(CommitOutcome.Status.COMMITTED);
    return lake.root;
  }

  private static CommitOutcome.Status train(String root) {
    Pipeline p = Runners.direct();
    Collected<CommitOutcome> outcomes = Collected.into();
    p.apply("TrainModel", TrainModel.of(TrainingPlan.plan(root), PER_SYMBOL)).apply(outcomes);
    p.run().waitUntilFinish();
    return outcomes.elements().get(0).status();
  }

  private static long rowsTrained(List<GenericRecord> registry, String kind, String scope) {
    return registry.stream()
        .filter(
            r -> kind.equals(r.get("kind").toString()) && scope.equals(r.get("scope").toString()))
        .map(r -> ((Number) r.get("rows_trained")).longValue())
        .findFirst()
        .orElseThrow();
  }
}

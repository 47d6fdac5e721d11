package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.features.FeatureLake;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSeries;
import dev.ticklake.transforms.indicators.Bar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainModelTest {
  static final TrainModel.Settings SETTINGS =
      new TrainModel.Settings(
          List.of(ModelKind.DIRECTION, ModelKind.RETURN),
          false,
          new WalkForward(3, WalkForward.Mode.EXPANDING, 0, 1, 60, 0.2),
          XgbParams.defaults(11),
          "test",
          1_700_000_000_000_000L);

  @TempDir Path dir;

  @Test
  void registersEvaluatedModelsThatReproduceTheirPredictions() {
    FeatureLake lake = new FeatureLake(dir.toString());
    Map<String, List<Bar>> bars = new java.util.TreeMap<>();
    for (String s : List.of("AAA", "BBB", "CCC")) {
      bars.put(s, FeatureLake.randomDailyBars(200, s.hashCode()));
      lake.writeDailyBars(s, bars.get(s));
    }
    assertThat(lake.buildFeatures(Runners.direct())).isEqualTo(CommitOutcome.Status.COMMITTED);

    TrainingPlan plan = TrainingPlan.plan(lake.root);
    assertThat(plan.hasWork()).isTrue();
    assertThat(plan.champions()).isEmpty();
    assertThat(train(Runners.direct(), plan)).isEqualTo(CommitOutcome.Status.COMMITTED);

    // the same evaluation, computed here from the bars, independently of the pipeline
    List<FeatureRow> rows = new ArrayList<>();
    bars.forEach((s, b) -> rows.addAll(FeatureSeries.compute(s, b, true)));
    Dataset data = Dataset.of(rows);
    List<GenericRecord> registry = registry(lake.root);
    assertThat(registry)
        .extracting(r -> r.get("kind").toString())
        .containsExactly("direction", "return");
    for (GenericRecord r : registry) {
      ModelKind kind = ModelKind.of(r.get("kind").toString());
      Evaluation expected =
          WalkForwardEvaluation.run(kind, data, SETTINGS.walkForward(), SETTINGS.params(), 1);
      XgbModel stored = RegisteredModel.model(r);
      assertThat(stored.booster()).isEqualTo(expected.model().booster());
      int[] all = data.rowsInSteps(0, data.steps());
      double[] a = stored.predict(data, all);
      double[] b = expected.model().predict(data, all);
      for (int i = 0; i < a.length; i++) {
        assertThat(Double.doubleToRawLongBits(a[i])).isEqualTo(Double.doubleToRawLongBits(b[i]));
      }
      assertThat(RegisteredModel.headline(r))
          .isEqualTo(expected.oos().get(Evaluation.headline(kind)));
      assertThat(r.get("features_version")).isEqualTo(plan.featuresVersion());
      assertThat(r.get("scope").toString()).isEqualTo("universe");
      assertThat(r.get("rows_trained")).isEqualTo(expected.rowsTrained());
      ChampionPolicy.Decision decision =
          ChampionPolicy.decide(expected, java.util.OptionalDouble.empty());
      assertThat(r.get("champion")).isEqualTo(decision.champion());
      assertThat(r.get("champion_reason").toString()).isEqualTo(decision.reason());
      assertThat(r.get("baseline_metrics_json").toString()).contains(Baselines.names(kind).get(0));
    }

    // the same features version is trained on once
    assertThat(TrainingPlan.plan(lake.root).hasWork()).isFalse();
    assertThat(train(Runners.direct(), plan)).isEqualTo(CommitOutcome.Status.SKIPPED);
  }

  @Test
  void tooFewBarsSkipsEveryModelAndWritesNone() {
    FeatureLake lake = new FeatureLake(dir.toString());
    lake.writeDailyBars("AAA", FeatureLake.randomDailyBars(90, 1));
    lake.buildFeatures(Runners.direct());
    // the commit records the position (this features version is done) and holds no model
    assertThat(train(Runners.direct(), TrainingPlan.plan(lake.root)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(DeltaTable.at(TableCatalog.GOLD_MODELS.location(lake.root)).scan().rows()).isEmpty();
    assertThat(TrainingPlan.plan(lake.root).hasWork()).isFalse();
  }

  static CommitOutcome.Status train(Pipeline p, TrainingPlan plan) {
    Collected<CommitOutcome> outcomes = Collected.into();
    p.apply("TrainModel", TrainModel.of(plan, SETTINGS)).apply(outcomes);
    p.run().waitUntilFinish();
    return outcomes.elements().get(0).status();
  }

  /** Registry rows {@code a} and {@code b} (in order) hold the same models and evaluations. */
  static void assertSameModels(List<GenericRecord> a, List<GenericRecord> b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      for (String column :
          List.of(
              "model_id",
              "booster_sha256",
              "oos_metrics_json",
              "baseline_metrics_json",
              "fold_metrics_json",
              "importance_json",
              "rows_trained",
              "champion")) {
        assertThat(String.valueOf(a.get(i).get(column)))
            .as(column)
            .isEqualTo(String.valueOf(b.get(i).get(column)));
      }
      assertThat(RegisteredModel.model(a.get(i))).isEqualTo(RegisteredModel.model(b.get(i)));
    }
  }

  static List<GenericRecord> registry(String root) {
    List<GenericRecord> rows =
        new ArrayList<>(DeltaTable.at(TableCatalog.GOLD_MODELS.location(root)).scan().rows());
    rows.sort(Comparator.comparing(r -> r.get("model_id").toString()));
    return rows;
  }
}

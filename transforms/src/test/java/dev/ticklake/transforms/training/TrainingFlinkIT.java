package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.features.FeatureLake;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-features and train-model on FlinkRunner [local] and on the DirectRunner give the same
 * features, and the same models: byte-equal boosters and metrics (xgboost's native library loads
 * from its jar in Flink's task threads too).
 */
class TrainingFlinkIT {
  @TempDir Path dir;

  @Test
  void flinkLocalAndDirectRunnerTrainIdenticalModels() {
    FeatureLake onFlink = new FeatureLake(dir.resolve("flink").toString());
    FeatureLake onDirect = new FeatureLake(dir.resolve("direct").toString());
    for (String s : List.of("AAA", "BBB", "CCC")) {
      onFlink.writeDailyBars(s, FeatureLake.randomDailyBars(200, s.hashCode()));
      onDirect.writeDailyBars(s, FeatureLake.randomDailyBars(200, s.hashCode()));
    }
    assertThat(onFlink.buildFeatures(Runners.flinkLocal()))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(onDirect.buildFeatures(Runners.direct())).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(rows(onFlink.root)).isEqualTo(rows(onDirect.root)).hasSize(600);

    assertThat(TrainModelTest.train(Runners.flinkLocal(), TrainingPlan.plan(onFlink.root)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(TrainModelTest.train(Runners.direct(), TrainingPlan.plan(onDirect.root)))
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    List<GenericRecord> a = TrainModelTest.registry(onFlink.root);
    List<GenericRecord> b = TrainModelTest.registry(onDirect.root);
    assertThat(a).hasSize(2);
    assertThat(b).hasSize(2);
    for (int i = 0; i < a.size(); i++) {
      for (String column :
          List.of(
              "model_id",
              "booster_sha256",
              "oos_metrics_json",
              "baseline_metrics_json",
              "fold_metrics_json",
              "importance_json",
              "champion")) {
        assertThat(String.valueOf(a.get(i).get(column)))
            .as(column)
            .isEqualTo(String.valueOf(b.get(i).get(column)));
      }
      assertThat(RegisteredModel.model(a.get(i))).isEqualTo(RegisteredModel.model(b.get(i)));
    }
  }

  private static List<Map<String, Object>> rows(String root) {
    return KernelTableReader.sorted(
        KernelTableReader.of(TableCatalog.GOLD_FEATURES.location(root)).readLatest(),
        "symbol",
        "bar_start");
  }
}

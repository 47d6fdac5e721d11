package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.api.ModelView;
import dev.ticklake.orchestrator.core.training.ModelRegistryReader;
import dev.ticklake.pipelines.BuildFeaturesJob;
import dev.ticklake.pipelines.TrainModelJob;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.features.FeatureLake;
import jakarta.ws.rs.WebApplicationException;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models API over a registry written by the real training job. */
class ModelsResourceTest {
  @TempDir Path dir;

  @Test
  void listsAndShowsTheRegisteredModels() {
    String root = dir.toString();
    ModelsResource resource = new ModelsResource(new ModelRegistryReader(root));
    assertThat(resource.list(null)).isEmpty();

    FeatureLake lake = new FeatureLake(root);
    lake.writeDailyBars("AAA", FeatureLake.randomDailyBars(220, 1));
    BuildFeaturesJob.run(
        PipelineOptionsFactory.fromArgs("--lakeRoot=" + root).as(BuildFeaturesJob.Options.class));
    TrainModelJob.Options train =
        PipelineOptionsFactory.fromArgs("--lakeRoot=" + root, "--folds=3")
            .as(TrainModelJob.Options.class);
    TrainModelJob.run(train);

    List<GenericRecord> rows = DeltaTable.at(TableCatalog.GOLD_MODELS.location(root)).scan().rows();
    List<ModelView> all = resource.list(null);
    assertThat(all).extracting(ModelView::kind).containsExactlyInAnyOrder("direction", "return");
    assertThat(resource.list("direction")).hasSize(1);
    for (GenericRecord r : rows) {
      String id = r.get("model_id").toString();
      ModelView summary =
          all.stream().filter(m -> m.modelId().equals(id)).findFirst().orElseThrow();
      assertThat(summary.champion()).isEqualTo(r.get("champion"));
      assertThat(summary.oosMetrics().toString()).isEqualTo(r.get("oos_metrics_json").toString());
      assertThat(summary.baselineMetrics().toString())
          .isEqualTo(r.get("baseline_metrics_json").toString());
      assertThat(summary.importance()).isNull();

      ModelView detail = resource.get(id);
      assertThat(detail.importance().toString()).isEqualTo(r.get("importance_json").toString());
      assertThat(detail.foldMetrics().size()).isEqualTo(3);
      assertThat(detail.boosterSha256()).isEqualTo(r.get("booster_sha256").toString());
      assertThat(detail.featuresVersion()).isEqualTo(r.get("features_version"));
    }
    assertThatThrownBy(() -> resource.get("nope"))
        .isInstanceOf(WebApplicationException.class)
        .satisfies(
            e ->
                assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(404));
    assertThatThrownBy(() -> resource.list("price"))
        .isInstanceOf(WebApplicationException.class)
        .satisfies(
            e ->
                assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
  }
}

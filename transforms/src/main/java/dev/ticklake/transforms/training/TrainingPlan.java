package dev.ticklake.transforms.training;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * What one {@code train-model} batch trains on, decided from the logs before the pipeline is built:
 * the {@code gold/features} version (a snapshot), the registry's version and stored position
 * ({@code SetTransaction("gold/models:gold/features", featuresVersion)}: a features version is
 * trained on once), and the current champions' out-of-sample headline metrics by {@link #key}.
 *
 * @param champions by {@code key(kind, scope)}: the champion's model id and headline metric
 */
public record TrainingPlan(
    String lakeRoot,
    long featuresVersion,
    long trainedFeaturesVersion,
    long modelsVersion,
    Map<String, Champion> champions)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A current champion. */
  public record Champion(String modelId, double headline) implements Serializable {}

  public TrainingPlan {
    champions = Map.copyOf(champions);
  }

  /** The registry's app id for its position in the features. */
  public static String appId() {
    return TableCatalog.GOLD_MODELS.id() + ":" + TableCatalog.GOLD_FEATURES.id();
  }

  /** The champion key of a kind and scope. */
  public static String key(String kind, String scope) {
    return kind + "|" + scope;
  }

  /** Plans from the current logs and the registry's champion rows. */
  public static TrainingPlan plan(String lakeRoot) {
    long features = DeltaTable.at(TableCatalog.GOLD_FEATURES.location(lakeRoot)).latestVersion();
    DeltaTable models = DeltaTable.at(TableCatalog.GOLD_MODELS.location(lakeRoot));
    DeltaTable.Position position = models.position(appId());
    Map<String, Champion> champions = new HashMap<>();
    if (position.version() >= 0) {
      for (GenericRecord r : models.scan().atVersion(position.version()).rows()) {
        if (Boolean.TRUE.equals(r.get("champion"))) {
          champions.put(
              key(r.get("kind").toString(), r.get("scope").toString()),
              new Champion(r.get("model_id").toString(), RegisteredModel.headline(r)));
        }
      }
    }
    return new TrainingPlan(
        lakeRoot, features, position.txnVersion(), position.version(), champions);
  }

  /** False when the features have not moved since the last training. */
  public boolean hasWork() {
    return featuresVersion >= 0 && trainedFeaturesVersion < featuresVersion;
  }
}

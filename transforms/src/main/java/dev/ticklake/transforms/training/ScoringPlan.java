package dev.ticklake.transforms.training;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.features.FeatureSchema;
import dev.ticklake.transforms.features.FeaturesBatch;
import io.delta.standalone.actions.AddFile;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;

/**
 * What one {@code score} batch scores, decided before the pipeline is built: the symbols whose
 * features changed in {@code (fromExclusive, featuresVersion]} (each change rewrites a symbol's
 * partition, so the whole symbol is rescored: new bars get a score, bars whose label has since
 * arrived get their realised outcome), and the universe champions that score them.
 *
 * @param directionChampion the champion direction model (null: nothing can be scored)
 * @param returnChampion the champion return model (null: none)
 */
public record ScoringPlan(
    String lakeRoot,
    long fromExclusive,
    long featuresVersion,
    long predictionsVersion,
    List<String> touchedSymbols,
    Scorer directionChampion,
    Scorer returnChampion)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A champion model and the last bar it was trained on: only later bars are scored. */
  public record Scorer(String modelId, XgbModel model, long trainToMicros)
      implements Serializable {}

  public ScoringPlan {
    touchedSymbols = List.copyOf(touchedSymbols);
  }

  /** The champion direction model, if any. */
  public Optional<Scorer> direction() {
    return Optional.ofNullable(directionChampion);
  }

  /** The champion return model, if any. */
  public Optional<Scorer> returns() {
    return Optional.ofNullable(returnChampion);
  }

  /** The predictions' app id for their position in the features. */
  public static String appId() {
    return TableCatalog.GOLD_PREDICTIONS.id() + ":" + TableCatalog.GOLD_FEATURES.id();
  }

  /** Plans from the current logs and the registry's universe champions. */
  public static ScoringPlan plan(String lakeRoot) {
    DeltaTable features = DeltaTable.at(TableCatalog.GOLD_FEATURES.location(lakeRoot));
    long featuresVersion = features.latestVersion();
    DeltaTable.Position position =
        DeltaTable.at(TableCatalog.GOLD_PREDICTIONS.location(lakeRoot)).position(appId());
    long from = position.txnVersion();
    TreeSet<String> symbols = new TreeSet<>();
    if (featuresVersion >= 0 && from < featuresVersion) {
      List<AddFile> files =
          from < 0
              ? features.filesAt(featuresVersion)
              : features.filesAddedBetween(from, featuresVersion);
      for (AddFile f : files) {
        if (FeaturesBatch.INTERVAL.equals(f.getPartitionValues().get("interval"))) {
          symbols.add(f.getPartitionValues().get("symbol"));
        }
      }
    }
    return new ScoringPlan(
        lakeRoot,
        from,
        featuresVersion,
        position.version(),
        List.copyOf(symbols),
        champion(lakeRoot, ModelKind.DIRECTION).orElse(null),
        champion(lakeRoot, ModelKind.RETURN).orElse(null));
  }

  /** The universe champion of {@code kind}, if the registry has one. */
  static Optional<Scorer> champion(String lakeRoot, ModelKind kind) {
    DeltaTable models = DeltaTable.at(TableCatalog.GOLD_MODELS.location(lakeRoot));
    if (!models.exists()) {
      return Optional.empty();
    }
    for (GenericRecord r :
        models.scan().withPartitionFilter(p -> kind.label().equals(p.get("kind"))).rows()) {
      if (Boolean.TRUE.equals(r.get("champion"))
          && TrainModel.UNIVERSE.equals(r.get("scope").toString())) {
        List<String> names = RegisteredModel.featureNames(r);
        if (!names.equals(FeatureSchema.NAMES)) {
          throw new IllegalStateException(
              "champion "
                  + r.get("model_id")
                  + " was trained on features "
                  + names
                  + " but gold/features has "
                  + FeatureSchema.NAMES
                  + "; run train-model on the current features");
        }
        return Optional.of(
            new Scorer(
                r.get("model_id").toString(), RegisteredModel.model(r), (Long) r.get("train_to")));
      }
    }
    return Optional.empty();
  }

  /** False when the features have not moved, or no direction champion exists yet. */
  public boolean hasWork() {
    return featuresVersion >= 0 && fromExclusive < featuresVersion && directionChampion != null;
  }

  /** Why there is no work (for the job's report), or empty. */
  public Optional<String> idleReason() {
    if (featuresVersion < 0) {
      return Optional.of("gold/features does not exist yet; run build-features");
    }
    if (fromExclusive >= featuresVersion) {
      return Optional.of("gold/features has not moved since version " + fromExclusive);
    }
    if (directionChampion == null) {
      return Optional.of(
          "no champion direction model in gold/models yet; run train-model (a model becomes"
              + " champion only when it beats the baselines out of sample)");
    }
    return Optional.empty();
  }
}

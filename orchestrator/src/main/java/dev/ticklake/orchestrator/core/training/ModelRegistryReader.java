package dev.ticklake.orchestrator.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the model registry {@code gold/models} (latest snapshot, read on every call: the registry
 * is small and changes at most once per training run). Bounded by the registry's size.
 */
public final class ModelRegistryReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String lakeRoot;

  public ModelRegistryReader(String lakeRoot) {
    this.lakeRoot = Objects.requireNonNull(lakeRoot, "lakeRoot");
  }

  /** One registered model; the JSON columns parsed. */
  public record Model(
      String modelId,
      String kind,
      String scope,
      String interval,
      String algorithm,
      long featuresVersion,
      Instant trainFrom,
      Instant trainTo,
      long rowsTrained,
      boolean champion,
      String championReason,
      String codeVersion,
      Instant createdAt,
      JsonNode params,
      JsonNode featureNames,
      JsonNode foldMetrics,
      JsonNode oosMetrics,
      JsonNode baselineMetrics,
      JsonNode importance,
      String boosterSha256,
      int boosterBytes) {}

  /** Every model, newest first (then by id); {@code kind} filters when not null. */
  public List<Model> list(String kind) {
    DeltaTable table = DeltaTable.at(TableCatalog.GOLD_MODELS.location(lakeRoot));
    if (!table.exists()) {
      return List.of();
    }
    List<Model> out = new ArrayList<>();
    for (GenericRecord r :
        table.scan().withPartitionFilter(p -> kind == null || kind.equals(p.get("kind"))).rows()) {
      out.add(model(r));
    }
    out.sort(Comparator.comparing(Model::createdAt).reversed().thenComparing(Model::modelId));
    return out;
  }

  /** The model {@code modelId}, if registered. */
  public Optional<Model> find(String modelId) {
    return list(null).stream().filter(m -> m.modelId().equals(modelId)).findFirst();
  }

  private static Model model(GenericRecord r) {
    return new Model(
        str(r, "model_id"),
        str(r, "kind"),
        str(r, "scope"),
        str(r, "interval"),
        str(r, "algorithm"),
        (Long) r.get("features_version"),
        micros(r, "train_from"),
        micros(r, "train_to"),
        (Long) r.get("rows_trained"),
        Boolean.TRUE.equals(r.get("champion")),
        str(r, "champion_reason"),
        str(r, "code_version"),
        micros(r, "created_at"),
        json(r, "params_json"),
        json(r, "feature_names_json"),
        json(r, "fold_metrics_json"),
        json(r, "oos_metrics_json"),
        json(r, "baseline_metrics_json"),
        json(r, "importance_json"),
        str(r, "booster_sha256"),
        ((ByteBuffer) r.get("booster")).remaining());
  }

  private static String str(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }

  private static Instant micros(GenericRecord r, String field) {
    long us = (Long) r.get(field);
    return Instant.ofEpochSecond(
        Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
  }

  private static JsonNode json(GenericRecord r, String field) {
    try {
      return JSON.readTree(str(r, field));
    } catch (IOException e) {
      throw new UncheckedIOException("gold/models." + field + " is not JSON: " + e.getMessage(), e);
    }
  }
}

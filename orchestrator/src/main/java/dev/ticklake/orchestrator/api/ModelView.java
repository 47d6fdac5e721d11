package dev.ticklake.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.core.training.ModelRegistryReader;

/**
 * A registered model as {@code GET /api/v1/models} (summary: metrics beside baselines) and {@code
 * GET /api/v1/models/{id}} (also params, features, fold metrics and importance) return it. Absent
 * fields are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelView(
    String modelId,
    String kind,
    String scope,
    String interval,
    String algorithm,
    long featuresVersion,
    String trainFrom,
    String trainTo,
    long rowsTrained,
    boolean champion,
    String championReason,
    String codeVersion,
    String createdAt,
    JsonNode oosMetrics,
    JsonNode baselineMetrics,
    JsonNode params,
    JsonNode featureNames,
    JsonNode foldMetrics,
    JsonNode importance,
    String boosterSha256,
    Integer boosterBytes) {

  /** The summary of {@code m}. */
  public static ModelView summary(ModelRegistryReader.Model m) {
    return new ModelView(
        m.modelId(),
        m.kind(),
        m.scope(),
        m.interval(),
        m.algorithm(),
        m.featuresVersion(),
        m.trainFrom().toString(),
        m.trainTo().toString(),
        m.rowsTrained(),
        m.champion(),
        m.championReason(),
        m.codeVersion(),
        m.createdAt().toString(),
        m.oosMetrics(),
        m.baselineMetrics(),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Everything about {@code m} but the booster's bytes (its checksum and size instead). */
  public static ModelView detail(ModelRegistryReader.Model m) {
    return new ModelView(
        m.modelId(),
        m.kind(),
        m.scope(),
        m.interval(),
        m.algorithm(),
        m.featuresVersion(),
        m.trainFrom().toString(),
        m.trainTo().toString(),
        m.rowsTrained(),
        m.champion(),
        m.championReason(),
        m.codeVersion(),
        m.createdAt().toString(),
        m.oosMetrics(),
        m.baselineMetrics(),
        m.params(),
        m.featureNames(),
        m.foldMetrics(),
        m.importance(),
        m.boosterSha256(),
        m.boosterBytes());
  }
}

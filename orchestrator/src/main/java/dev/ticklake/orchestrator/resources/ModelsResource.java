package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.api.ModelView;
import dev.ticklake.orchestrator.core.training.ModelRegistryReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /api/v1/models[?kind=direction|return]}: the model registry, newest first, each with
 * its out-of-sample metrics beside its baselines; {@code GET /api/v1/models/{id}}: one model with
 * its params, fold metrics and feature importance (404 when unknown).
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
  private static final Set<String> KINDS = Set.of("direction", "return");

  private final ModelRegistryReader reader;

  public ModelsResource(ModelRegistryReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  @GET
  public List<ModelView> list(@QueryParam("kind") String kind) {
    if (kind != null && !KINDS.contains(kind)) {
      throw ApiErrors.badRequest("kind must be 'direction' or 'return', got '" + kind + "'");
    }
    return reader.list(kind).stream().map(ModelView::summary).toList();
  }

  @GET
  @Path("{modelId}")
  public ModelView get(@PathParam("modelId") String modelId) {
    return reader
        .find(modelId)
        .map(ModelView::detail)
        .orElseThrow(
            () ->
                ApiErrors.notFound(
                    "no model '" + modelId + "' in gold/models; GET /api/v1/models lists them"));
  }
}

package dev.ticklake.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import java.util.ArrayList;
import java.util.List;

/**
 * One try of {@code GET /api/v1/lineage/runs/{runId}}: the try's fields, then the dataset versions
 * it read and wrote (one entry per dataset; several versions joined by commas).
 */
public record TryLineageView(
    @JsonUnwrapped TryView attempt, List<VersionRef> inputs, List<VersionRef> outputs) {

  /** A dataset and the version(s) the try saw of it. */
  public record VersionRef(String namespace, String name, String version) {}

  public static List<VersionRef> versions(List<DatasetVersion> versions) {
    List<VersionRef> out = new ArrayList<>();
    TaskLineage.byDataset(versions)
        .forEach((d, v) -> out.add(new VersionRef(d.namespace(), d.name(), v)));
    return out;
  }
}

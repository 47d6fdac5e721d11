package dev.ticklake.orchestrator.core.lineage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one try read and wrote, with versions. A batch that wrote nothing (SKIPPED, NOTHING_NEW) has
 * no outputs. Immutable.
 */
public record TaskLineage(List<DatasetVersion> inputs, List<DatasetVersion> outputs) {

  /** Nothing known (test pipelines, pipelines that report no lineage). */
  public static final TaskLineage NONE = new TaskLineage(List.of(), List.of());

  public TaskLineage {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public boolean isEmpty() {
    return inputs.isEmpty() && outputs.isEmpty();
  }

  /**
   * The versions per dataset, in first-seen order, joined with commas (several Kafka partitions
   * make one topic version {@code 0:[0,5),1:[0,7)}).
   */
  public static Map<Dataset, String> byDataset(List<DatasetVersion> versions) {
    Map<Dataset, String> out = new LinkedHashMap<>();
    for (DatasetVersion v : versions) {
      out.merge(v.dataset(), v.version(), (a, b) -> a + "," + b);
    }
    return out;
  }
}

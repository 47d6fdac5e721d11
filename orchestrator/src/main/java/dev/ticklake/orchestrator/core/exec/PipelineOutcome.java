package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import java.util.Map;
import java.util.Objects;

/**
 * What one try of a pipeline did.
 *
 * @param status {@code COMMITTED}, {@code SKIPPED} or {@code NOTHING_NEW} for the TickLake jobs;
 *     test pipelines report {@code OK}
 * @param summary one line for the task log and the API
 * @param metadata optional extra facts (row counts, versions); never null
 * @param lineage the datasets the try read and wrote, with versions ({@link TaskLineage#NONE} when
 *     the pipeline reports none)
 */
public record PipelineOutcome(
    String status, String summary, Map<String, String> metadata, TaskLineage lineage) {

  /** Metadata key of the full (multi-line) report; the executor writes it to the try's log. */
  public static final String DETAIL = "detail";

  public PipelineOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    metadata = Map.copyOf(metadata);
    lineage = lineage == null ? TaskLineage.NONE : lineage;
  }

  /** An outcome without lineage. */
  public PipelineOutcome(String status, String summary, Map<String, String> metadata) {
    this(status, summary, metadata, TaskLineage.NONE);
  }

  public static PipelineOutcome of(String status, String summary) {
    return new PipelineOutcome(status, summary, Map.of());
  }
}

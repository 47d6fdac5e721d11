package dev.ticklake.orchestrator.api;

import dev.ticklake.orchestrator.core.quality.DataQualityReader;
import java.util.List;

/** The answer of {@code GET /api/v1/data-quality}: a table's batches, latest first. */
public record DataQualityView(String table, List<Batch> batches) {

  /** One batch's counts per expectation. */
  public record Batch(
      String batchId,
      String runId,
      String tableId,
      String recordedAt,
      List<DataQualityReader.ExpectationCounts> expectations) {

    public static Batch of(DataQualityReader.BatchMetrics b) {
      return new Batch(
          b.batchId(), b.runId(), b.tableId(), b.recordedAt().toString(), b.expectations());
    }
  }
}

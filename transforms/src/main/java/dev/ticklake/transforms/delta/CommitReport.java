package dev.ticklake.transforms.delta;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The outcome of a finished batch's DeltaIO write, read from the pipeline's metrics, so that a
 * pipeline main (on any runner) can say what it committed. {@link #status()} is COMMITTED, SKIPPED
 * (already committed by an earlier run) or EMPTY (nothing to commit).
 */
public record CommitReport(
    String table,
    CommitOutcome.Status status,
    long tableVersion,
    long rowsCommitted,
    long filesCommitted) {

  /**
   * Reads the report of the write to {@code table} (its DeltaIO table name) from {@code result}.
   */
  public static CommitReport of(PipelineResult result, String table) {
    long committed = counter(result, table + ".committed");
    long skipped = counter(result, table + ".skipped");
    long empty = counter(result, table + ".empty");
    if (committed + skipped + empty != 1) {
      throw new IllegalStateException(
          "Expected exactly one commit outcome for "
              + table
              + " in the pipeline's metrics, found "
              + (committed + skipped + empty)
              + " (committed "
              + committed
              + ", skipped "
              + skipped
              + ", empty "
              + empty
              + "); is the table name right?");
    }
    CommitOutcome.Status status =
        committed == 1
            ? CommitOutcome.Status.COMMITTED
            : skipped == 1 ? CommitOutcome.Status.SKIPPED : CommitOutcome.Status.EMPTY;
    return new CommitReport(
        table,
        status,
        version(result, table),
        counter(result, table + ".rowsCommitted"),
        counter(result, table + ".filesCommitted"));
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults q = result.metrics().queryMetrics(filter(name));
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += attempted(c);
    }
    return sum;
  }

  private static long version(PipelineResult result, String table) {
    MetricQueryResults q = result.metrics().queryMetrics(filter(table + ".version"));
    long v = -1;
    for (MetricResult<DistributionResult> d : q.getDistributions()) {
      DistributionResult r = d.getAttempted();
      if (r != null && r.getCount() > 0) {
        v = Math.max(v, r.getMax());
      }
    }
    return v;
  }

  private static MetricsFilter filter(String name) {
    return MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(DeltaIO.METRICS_NAMESPACE, name))
        .build();
  }

  private static long attempted(MetricResult<Long> c) {
    // Committed metrics are not supported by every runner (DirectRunner is; Flink is not).
    try {
      return c.getCommitted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  @Override
  public String toString() {
    return String.format(
        "%s: %s at version %d (%d rows, %d files)",
        table, status, tableVersion, rowsCommitted, filesCommitted);
  }
}

package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.schemas.catalog.TableCatalog;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The batch's {@code silver/dq_metrics} rows from its summed counts: first the {@code parse}
 * pseudo-expectation (action {@code drop}: unparseable records are always quarantined), then one
 * row per expectation in declaration order. {@code passed + failed} is the number of rows
 * evaluated: all Bronze rows for {@code parse}, the parsed rows for expectations. {@code dropped}
 * is {@code failed} under {@code drop}, else 0; a row failing several {@code drop} expectations
 * counts as dropped by each, although it is quarantined once.
 */
final class DqMetricRowsFn extends DoFn<DqCounts, GenericRecord> {
  private static final long serialVersionUID = 1L;
  private final List<Expectation> expectations;
  private final SilverBatch batch;

  DqMetricRowsFn(List<Expectation> expectations, SilverBatch batch) {
    this.expectations = expectations;
    this.batch = batch;
  }

  @ProcessElement
  public void process(@Element DqCounts counts, OutputReceiver<GenericRecord> out) {
    out.output(
        row(
            RefineSilver.PARSE_EXPECTATION,
            ExpectationAction.DROP,
            counts.rows,
            counts.parseFailed));
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      out.output(row(e.name(), e.action(), counts.parsed(), counts.failed[i]));
    }
  }

  private GenericRecord row(String name, ExpectationAction action, long evaluated, long failed) {
    GenericRecord r = new GenericData.Record(TableCatalog.SILVER_DQ_METRICS.schema());
    r.put("run_id", batch.runId());
    r.put("batch_id", batch.batchId());
    r.put("table_id", TableCatalog.SILVER_TICKS.id());
    r.put("expectation", name);
    r.put("action", action.label());
    r.put("passed", evaluated - failed);
    r.put("failed", failed);
    r.put("dropped", action == ExpectationAction.DROP ? failed : 0L);
    r.put("recorded_at", batch.startedAtMicros());
    r.put("metric_date", batch.startedAtDate());
    return r;
  }
}

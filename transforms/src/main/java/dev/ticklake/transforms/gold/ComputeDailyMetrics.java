package dev.ticklake.transforms.gold;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Folded days ({@link DayFold.State}) → {@code gold/daily_metrics} rows: one per (trading_date,
 * symbol) with {@code avg_price} = arithmetic mean of the day's event closes and {@code
 * total_volume} = Σ volume (see {@link SymbolDay}). To replace a date's partition completely, the
 * input must hold every symbol of that date.
 */
public final class ComputeDailyMetrics
    extends PTransform<PCollection<DayFold.State>, PCollection<GenericRecord>> {
  private static final long serialVersionUID = 1L;

  private ComputeDailyMetrics() {}

  public static ComputeDailyMetrics create() {
    return new ComputeDailyMetrics();
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<DayFold.State> days) {
    return days.apply("ToMetricRows", ParDo.of(new ToRowFn()))
        .setCoder(AvroCoder.of(GenericRecord.class, GoldRows.DAILY_METRICS));
  }

  private static final class ToRowFn extends DoFn<DayFold.State, GenericRecord> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element DayFold.State day, OutputReceiver<GenericRecord> out) {
      out.output(GoldRows.dailyMetric(day));
    }
  }
}

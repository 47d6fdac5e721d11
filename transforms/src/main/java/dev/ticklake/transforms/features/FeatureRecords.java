package dev.ticklake.transforms.features;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.indicators.Bar;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Conversions between {@link FeatureRow} and rows of {@code gold/features} and Gold bars. */
public final class FeatureRecords {
  /** The schema of {@code gold/features}. */
  public static final Schema SCHEMA = TableCatalog.GOLD_FEATURES.schema();

  private FeatureRecords() {}

  /** The {@code gold/features} row of {@code row}; undefined (NaN) features become null. */
  public static GenericRecord toRecord(FeatureRow row, String interval) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("symbol", row.symbol());
    r.put("interval", interval);
    r.put("bar_start", row.barStartMicros());
    r.put("trade_date", tradeDate(row.barStartMicros()));
    r.put("close", row.close());
    double[] f = row.features();
    for (int i = 0; i < f.length; i++) {
      r.put(FeatureSchema.NAMES.get(i), Double.isFinite(f[i]) ? f[i] : null);
    }
    r.put(FeatureSchema.LABEL_UP, row.labelUp());
    r.put(FeatureSchema.LABEL_RETURN, row.labelReturn());
    r.put(FeatureSchema.LABEL_CLOSE, row.labelClose());
    return r;
  }

  /** The row of a {@code gold/features} record; null features become NaN. */
  public static FeatureRow fromRecord(GenericRecord r) {
    double[] f = new double[FeatureSchema.NAMES.size()];
    for (int i = 0; i < f.length; i++) {
      Object v = r.get(FeatureSchema.NAMES.get(i));
      f[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
    }
    Object up = r.get(FeatureSchema.LABEL_UP);
    Object ret = r.get(FeatureSchema.LABEL_RETURN);
    Object next = r.get(FeatureSchema.LABEL_CLOSE);
    return new FeatureRow(
        r.get("symbol").toString(),
        (Long) r.get("bar_start"),
        (Double) r.get("close"),
        f,
        up == null ? null : ((Number) up).intValue(),
        ret == null ? null : ((Number) ret).doubleValue(),
        next == null ? null : ((Number) next).doubleValue());
  }

  /** The bar of a Gold bars row ({@code gold/bars_1d} or {@code gold/bars_1m}). */
  public static Bar barOf(GenericRecord r) {
    return new Bar(
        (Long) r.get("bar_start"),
        (Double) r.get("open"),
        (Double) r.get("high"),
        (Double) r.get("low"),
        (Double) r.get("close"),
        ((Number) r.get("volume")).doubleValue());
  }

  /** Days since the epoch of the UTC date of {@code micros}. */
  public static int tradeDate(long micros) {
    return (int)
        LocalDate.ofInstant(
                java.time.Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)),
                ZoneOffset.UTC)
            .toEpochDay();
  }
}

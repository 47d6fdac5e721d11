package dev.ticklake.transforms.features;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.indicators.Bar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;

/** A test lake with {@code gold/bars_1d} written directly, for the training steps. */
public final class FeatureLake {
  static final Schema BARS = TableCatalog.GOLD_BARS_1D.schema();
  public final String root;

  public FeatureLake(String root) {
    this.root = root;
  }

  /** A random daily series from 2025-01-01: n bars, a run of zero volume at bars 30..54. */
  public static List<Bar> randomDailyBars(int n, long seed) {
    Random r = new Random(seed);
    List<Bar> bars = new ArrayList<>();
    double close = 100;
    for (int i = 0; i < n; i++) {
      double open = close * (1 + 0.01 * r.nextGaussian());
      close = open * (1 + 0.02 * r.nextGaussian());
      double high = Math.max(open, close) * (1 + 0.005 * r.nextDouble());
      double low = Math.min(open, close) * (1 - 0.005 * r.nextDouble());
      double volume = i >= 30 && i < 55 ? 0 : 1000 + r.nextInt(5000);
      Instant start = LocalDate.of(2025, 1, 1).plusDays(i).atStartOfDay(ZoneOffset.UTC).toInstant();
      bars.add(Bar.of(start, open, high, low, close, volume));
    }
    return bars;
  }

  /** Replaces the given symbols' {@code gold/bars_1d} partitions with {@code bars} (one commit). */
  public void writeDailyBars(String symbol, List<Bar> bars) {
    writeBars(TableCatalog.GOLD_BARS_1D, symbol, bars);
  }

  /** Writes {@code bars} as {@code symbol}'s rows of {@code gold/bars_1m}. */
  public void writeMinuteBars(String symbol, List<Bar> bars) {
    writeBars(TableCatalog.GOLD_BARS_1M, symbol, bars);
  }

  private void writeBars(TableDef table, String symbol, List<Bar> bars) {
    List<GenericRecord> rows = new ArrayList<>();
    for (Bar b : bars) {
      GenericRecord r = new GenericData.Record(BARS);
      r.put("symbol", symbol);
      r.put("bar_start", b.barStartMicros());
      r.put("trade_date", FeatureRecords.tradeDate(b.barStartMicros()));
      r.put("open", b.open());
      r.put("high", b.high());
      r.put("low", b.low());
      r.put("close", b.close());
      r.put("volume", (long) b.volume());
      r.put("vwap", b.close());
      r.put("trade_count", 1L);
      rows.add(r);
    }
    Pipeline p = Runners.direct();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(GenericRecord.class, BARS)))
        .apply(DeltaIO.write().to(CatalogTables.spec(table, root)));
    p.run().waitUntilFinish();
  }

  /** Plans and runs the next features batch on {@code p}; null when the bars have not moved. */
  public CommitOutcome.Status buildFeatures(Pipeline p) {
    FeaturesBatch batch = FeaturesBatch.plan(root);
    return batch.hasWork() ? run(p, batch) : null;
  }

  /** Runs {@code batch} on {@code p}. */
  public static CommitOutcome.Status run(Pipeline p, FeaturesBatch batch) {
    Collected<CommitOutcome> outcomes = Collected.into();
    p.apply("BuildFeatures", BuildFeatures.of(batch)).apply(outcomes);
    p.run().waitUntilFinish();
    return outcomes.elements().get(0).status();
  }
}

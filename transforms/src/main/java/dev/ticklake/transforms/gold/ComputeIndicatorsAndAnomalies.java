package dev.ticklake.transforms.gold;

import dev.ticklake.transforms.gold.SymbolHistory.DatedAnomaly;
import dev.ticklake.transforms.gold.SymbolHistory.IndicatedBar;
import dev.ticklake.transforms.gold.SymbolHistory.Recomputed;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Recomputes the Gold bar series of every touched symbol with indicators over its full history, and
 * the symbol's one-minute anomalies from the same replay (see {@link SymbolHistory}).
 *
 * <p>Input ({@link PCollectionTuple}): {@link #DAYS} the (symbol, date)s the batch changed, as
 * {@link SymbolDay}s; {@link #STORED_MINUTE_BARS} and {@link #STORED_DAILY_BARS} the stored {@code
 * gold/bars_1m} and {@code gold/bars_1d} rows of (at least) the touched symbols. Symbols without a
 * {@link #DAYS} entry produce nothing.
 *
 * <p>Output: {@link #MINUTE_BARS} and {@link #ANOMALIES} rows of the touched symbols' dates from
 * the first touched date on, {@link #DAILY_BARS} every daily row of the touched symbols, and {@link
 * #REPLACED_PARTITIONS}: the {@code (symbol, trade_date)} partitions that the minute-bar and
 * anomaly rows replace, including those that become empty. One group per symbol: a symbol's history
 * is small (a day of one-minute bars is at most 1,440 rows).
 */
public final class ComputeIndicatorsAndAnomalies
    extends PTransform<PCollectionTuple, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<KV<String, SymbolDay>> DAYS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> STORED_MINUTE_BARS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> STORED_DAILY_BARS = new TupleTag<>() {};

  public static final TupleTag<GenericRecord> MINUTE_BARS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> DAILY_BARS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> ANOMALIES = new TupleTag<>() {};
  public static final TupleTag<Map<String, String>> REPLACED_PARTITIONS = new TupleTag<>() {};

  // The join's tags name value types; the public input tags name the keyed collections.
  private static final TupleTag<SymbolDay> DAY = new TupleTag<>() {};
  private static final TupleTag<OhlcvBar> STORED_MINUTE = new TupleTag<>() {};
  private static final TupleTag<OhlcvBar> STORED_DAILY = new TupleTag<>() {};

  private final int anomalyWindow;
  private final double anomalyThreshold;

  public ComputeIndicatorsAndAnomalies(int anomalyWindow, double anomalyThreshold) {
    this.anomalyWindow = anomalyWindow;
    this.anomalyThreshold = anomalyThreshold;
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollection<KV<String, OhlcvBar>> storedMinute =
        input.get(STORED_MINUTE_BARS).apply("KeyStoredMinuteBars", ParDo.of(new KeyStoredBarFn()));
    storedMinute.setCoder(KvCoder.of(StringUtf8Coder.of(), OhlcvBar.BarCoder.of()));
    PCollection<KV<String, OhlcvBar>> storedDaily =
        input.get(STORED_DAILY_BARS).apply("KeyStoredDailyBars", ParDo.of(new KeyStoredBarFn()));
    storedDaily.setCoder(KvCoder.of(StringUtf8Coder.of(), OhlcvBar.BarCoder.of()));

    PCollectionTuple out =
        KeyedPCollectionTuple.of(DAY, input.get(DAYS))
            .and(STORED_MINUTE, storedMinute)
            .and(STORED_DAILY, storedDaily)
            .apply("GroupBySymbol", CoGroupByKey.create())
            .apply(
                "ReplaySymbol",
                ParDo.of(new ReplaySymbolFn(anomalyWindow, anomalyThreshold))
                    .withOutputTags(
                        MINUTE_BARS,
                        TupleTagList.of(DAILY_BARS).and(ANOMALIES).and(REPLACED_PARTITIONS)));
    out.get(MINUTE_BARS).setCoder(AvroCoder.of(GenericRecord.class, GoldRows.BARS));
    out.get(DAILY_BARS).setCoder(AvroCoder.of(GenericRecord.class, GoldRows.BARS));
    out.get(ANOMALIES).setCoder(AvroCoder.of(GenericRecord.class, GoldRows.ANOMALIES));
    out.get(REPLACED_PARTITIONS).setCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return out;
  }

  private static final class KeyStoredBarFn extends DoFn<GenericRecord, KV<String, OhlcvBar>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element GenericRecord row, OutputReceiver<KV<String, OhlcvBar>> out) {
      out.output(KV.of(row.get("symbol").toString(), GoldRows.storedBar(row)));
    }
  }

  private static final class ReplaySymbolFn extends DoFn<KV<String, CoGbkResult>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final int anomalyWindow;
    private final double anomalyThreshold;

    ReplaySymbolFn(int anomalyWindow, double anomalyThreshold) {
      this.anomalyWindow = anomalyWindow;
      this.anomalyThreshold = anomalyThreshold;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, MultiOutputReceiver out) {
      List<SymbolDay> days = new ArrayList<>();
      group.getValue().getAll(DAY).forEach(days::add);
      if (days.isEmpty()) {
        return;
      }
      String symbol = group.getKey();
      Recomputed r =
          new SymbolHistory(anomalyWindow, anomalyThreshold)
              .recompute(
                  days,
                  toList(group.getValue().getAll(STORED_MINUTE)),
                  toList(group.getValue().getAll(STORED_DAILY)));
      DoFn.OutputReceiver<GenericRecord> minute = out.get(MINUTE_BARS);
      for (IndicatedBar bar : r.minuteBars()) {
        minute.output(GoldRows.bar(symbol, bar));
      }
      DoFn.OutputReceiver<GenericRecord> daily = out.get(DAILY_BARS);
      for (IndicatedBar bar : r.dailyBars()) {
        daily.output(GoldRows.bar(symbol, bar));
      }
      DoFn.OutputReceiver<GenericRecord> anomalies = out.get(ANOMALIES);
      for (DatedAnomaly a : r.anomalies()) {
        anomalies.output(GoldRows.anomaly(symbol, a, anomalyWindow, anomalyThreshold));
      }
      DoFn.OutputReceiver<Map<String, String>> replaced = out.get(REPLACED_PARTITIONS);
      for (int date : r.replacedDates()) {
        Map<String, String> partition = new LinkedHashMap<>();
        partition.put("symbol", symbol);
        partition.put("trade_date", LocalDate.ofEpochDay(date).toString());
        replaced.output(partition);
      }
    }

    private static List<OhlcvBar> toList(Iterable<OhlcvBar> bars) {
      List<OhlcvBar> list = new ArrayList<>();
      bars.forEach(list::add);
      return list;
    }
  }
}

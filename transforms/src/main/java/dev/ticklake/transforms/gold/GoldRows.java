package dev.ticklake.transforms.gold;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.transforms.gold.SymbolHistory.DatedAnomaly;
import dev.ticklake.transforms.gold.SymbolHistory.IndicatedBar;
import dev.ticklake.transforms.indicators.Anomaly;
import dev.ticklake.transforms.indicators.IndicatorValues;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Gold rows in the catalog schemas of {@code gold/bars_1m}/{@code gold/bars_1d} (one schema),
 * {@code gold/anomalies} and {@code gold/daily_metrics}, and stored bar rows read back as {@link
 * OhlcvBar}s. Columns are set by position (the schemas' field order), once per row.
 */
final class GoldRows {
  static final Schema BARS = TableCatalog.GOLD_BARS_1M.schema();
  static final Schema ANOMALIES = TableCatalog.GOLD_ANOMALIES.schema();
  static final Schema DAILY_METRICS = TableCatalog.GOLD_DAILY_METRICS.schema();
  static final Schema BAR_STATE = TableCatalog.GOLD_BAR_STATE.schema();

  /** The {@code interval} value of anomalies found on one-minute bars. */
  static final String MINUTE_INTERVAL = BarInterval.ONE_MINUTE.label();

  private GoldRows() {}

  static GenericRecord bar(String symbol, IndicatedBar indicated) {
    OhlcvBar b = indicated.bar();
    IndicatorValues v = indicated.indicators();
    GenericData.Record r = new GenericData.Record(BARS);
    int i = 0;
    r.put(i++, symbol);
    r.put(i++, b.barStartMicros());
    r.put(i++, b.tradeDate());
    r.put(i++, b.open());
    r.put(i++, b.high());
    r.put(i++, b.low());
    r.put(i++, b.close());
    r.put(i++, b.volume());
    r.put(i++, b.vwap());
    r.put(i++, b.tradeCount());
    r.put(i++, v.sma20());
    r.put(i++, v.sma50());
    r.put(i++, v.ema12());
    r.put(i++, v.ema26());
    r.put(i++, v.rsi14());
    r.put(i++, v.macd());
    r.put(i++, v.macdSignal());
    r.put(i++, v.macdHist());
    r.put(i++, v.bbUpper());
    r.put(i++, v.bbMiddle());
    r.put(i++, v.bbLower());
    r.put(i++, v.bbPctB());
    r.put(i++, v.atr14());
    r.put(i++, v.volatility20());
    r.put(i, v.obv());
    return r;
  }

  /** The OHLCV part of a stored {@code gold/bars_1m} or {@code gold/bars_1d} row. */
  static OhlcvBar storedBar(GenericRecord row) {
    return new OhlcvBar(
        (Long) row.get("bar_start"),
        (Integer) row.get("trade_date"),
        (Double) row.get("open"),
        (Double) row.get("high"),
        (Double) row.get("low"),
        (Double) row.get("close"),
        (Long) row.get("volume"),
        (Double) row.get("vwap"),
        (Long) row.get("trade_count"));
  }

  static GenericRecord anomaly(String symbol, DatedAnomaly dated, int window, double threshold) {
    Anomaly a = dated.anomaly();
    GenericData.Record r = new GenericData.Record(ANOMALIES);
    r.put("symbol", symbol);
    r.put("bar_start", a.barStartMicros());
    r.put("trade_date", dated.tradeDate());
    r.put("interval", MINUTE_INTERVAL);
    r.put("close", a.close());
    r.put("log_return", a.logReturn());
    r.put("zscore", a.zScore());
    r.put("direction", a.direction().label());
    r.put("window", window);
    r.put("threshold", threshold);
    return r;
  }

  static GenericRecord dailyMetric(DayFold.State day) {
    GenericData.Record r = new GenericData.Record(DAILY_METRICS);
    r.put("trading_date", day.tradeDate());
    r.put("symbol", day.symbol());
    r.put("avg_price", day.avgPrice());
    r.put("total_volume", day.totalVolume());
    return r;
  }

  static GenericRecord barState(DayFold.State s) {
    GenericData.Record r = new GenericData.Record(BAR_STATE);
    r.put("symbol", s.symbol());
    r.put("trade_date", s.tradeDate());
    r.put("last_ts", s.lastTsMicros());
    r.put("last_source", s.lastSource());
    r.put("last_event_id", s.lastEventId());
    r.put("event_count", s.day().count());
    r.put("close_sum", s.closeSum());
    putSums(r, "day_", s.day());
    DayFold.BarSums m = s.lastMinute();
    if (m != null) {
      r.put("minute_start", m.barStartMicros());
      r.put("minute_count", m.count());
      putSums(r, "minute_", m);
    }
    return r;
  }

  static DayFold.State storedBarState(GenericRecord r) {
    int tradeDate = (Integer) r.get("trade_date");
    DayFold.BarSums day =
        storedSums(r, "day_", tradeDate * OhlcvBar.DAY_MICROS, (Long) r.get("event_count"));
    DayFold.BarSums minute =
        r.get("minute_start") == null
            ? null
            : storedSums(r, "minute_", (Long) r.get("minute_start"), (Long) r.get("minute_count"));
    return new DayFold.State(
        r.get("symbol").toString(),
        tradeDate,
        (Long) r.get("last_ts"),
        r.get("last_source").toString(),
        r.get("last_event_id").toString(),
        (Double) r.get("close_sum"),
        day,
        minute);
  }

  /** The columns {@code <prefix>open … <prefix>price_volume} of {@code gold/bar_state}. */
  private static void putSums(GenericData.Record r, String prefix, DayFold.BarSums sums) {
    r.put(prefix + "open", sums.open());
    r.put(prefix + "high", sums.high());
    r.put(prefix + "low", sums.low());
    r.put(prefix + "close", sums.close());
    r.put(prefix + "volume", sums.volume());
    r.put(prefix + "price_volume", sums.priceVolume());
  }

  private static DayFold.BarSums storedSums(
      GenericRecord r, String prefix, long barStartMicros, long count) {
    return new DayFold.BarSums(
        barStartMicros,
        (Double) r.get(prefix + "open"),
        (Double) r.get(prefix + "high"),
        (Double) r.get(prefix + "low"),
        (Double) r.get(prefix + "close"),
        (Long) r.get(prefix + "volume"),
        (Double) r.get(prefix + "price_volume"),
        count);
  }
}

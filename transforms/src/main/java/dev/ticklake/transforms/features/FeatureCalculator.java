package dev.ticklake.transforms.features;

import dev.ticklake.transforms.indicators.Bar;
import dev.ticklake.transforms.indicators.IndicatorEngine;
import dev.ticklake.transforms.indicators.IndicatorValues;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The features of one bar series, one bar at a time. <b>The causality rule</b>: the features of bar
 * t are a function of bars 1..t only. It holds by construction: {@link #next(Bar)} returns bar t's
 * features before bar t+1 has been seen, and keeps no reference to what it returns. Labels (which
 * need bar t+1) are not computed here but by {@link FeatureSeries}.
 *
 * <p>Definitions ({@link FeatureSchema#NAMES} order; NaN = undefined, stored as null):
 *
 * <ul>
 *   <li>{@code ret_k}, k = 1..5: the log return ln(close/previous close) of bar t−k+1 ({@code
 *       ret_1} is bar t's own return); undefined for the first k bars.
 *   <li>{@code close_sma_20}, {@code close_sma_50}: close / SMA(n) − 1.
 *   <li>{@code ema_spread}: (EMA12 − EMA26) / close. {@code macd_hist}: MACD histogram / close.
 *   <li>{@code rsi_14}, {@code bb_pct_b}, {@code volatility_20}: as in {@link IndicatorEngine}.
 *   <li>{@code bb_width}: (upper − lower) / middle Bollinger band. {@code atr_rel}: ATR14 / close.
 *   <li>{@code volume_z}: (volume − mean) / population sd of the last 20 volumes (bar t included);
 *       undefined when they are all equal (a constant or all-zero volume).
 *   <li>{@code obv_slope_5}: (OBV_t − OBV_{t−5}) / the volume of bars t−4..t, in [−1, 1]; undefined
 *       while fewer than 6 bars or when that volume is 0.
 *   <li>{@code day_of_week} (1 = Monday), {@code month}, {@code minute_of_day} (0..1439; 0 for
 *       daily bars): of the bar start in UTC.
 * </ul>
 *
 * <p>Not thread-safe: one calculator per series; bars in strictly increasing start order.
 */
public final class FeatureCalculator {
  private static final int MAX_LAG = 5;
  private static final int VOLUME_WINDOW = 20;
  private static final int OBV_SPAN = 5;

  private final IndicatorEngine indicators;
  private final Deque<Double> logReturns = new ArrayDeque<>();
  private final Deque<Double> volumes = new ArrayDeque<>();
  private final Deque<Double> obvs = new ArrayDeque<>();
  private double previousClose = Double.NaN;

  /** A calculator for daily bars ({@code daily}) or intraday bars. */
  public FeatureCalculator(boolean daily) {
    this.indicators = daily ? IndicatorEngine.forDailyBars() : IndicatorEngine.forIntradayBars();
  }

  /**
   * Consumes bar t and returns its features (a new array, {@link FeatureSchema#NAMES} order).
   *
   * @throws IllegalArgumentException if the bar does not start after the previous one
   */
  public double[] next(Bar bar) {
    IndicatorValues v = indicators.accept(bar);
    double close = bar.close();
    if (!Double.isNaN(previousClose)) {
      push(logReturns, Math.log(close / previousClose), MAX_LAG);
    }
    previousClose = close;
    push(volumes, bar.volume(), VOLUME_WINDOW);
    push(obvs, v.obv(), OBV_SPAN + 1);

    double[] f = new double[FeatureSchema.NAMES.size()];
    int i = 0;
    Double[] returnsNewestFirst = logReturns.toArray(new Double[0]);
    for (int k = 0; k < MAX_LAG; k++) {
      f[i++] = k < returnsNewestFirst.length ? returnsNewestFirst[k] : Double.NaN;
    }
    f[i++] = ratioMinusOne(close, v.sma20());
    f[i++] = ratioMinusOne(close, v.sma50());
    f[i++] = v.ema12() == null || v.ema26() == null ? Double.NaN : (v.ema12() - v.ema26()) / close;
    f[i++] = orNaN(v.rsi14());
    f[i++] = v.macdHist() == null ? Double.NaN : v.macdHist() / close;
    f[i++] = orNaN(v.bbPctB());
    f[i++] = v.bbMiddle() == null ? Double.NaN : (v.bbUpper() - v.bbLower()) / v.bbMiddle();
    f[i++] = v.atr14() == null ? Double.NaN : v.atr14() / close;
    f[i++] = orNaN(v.volatility20());
    f[i++] = volumeZ(bar.volume());
    f[i++] = obvSlope();
    ZonedDateTime t = Instant.EPOCH.plusNanos(bar.barStartMicros() * 1000).atZone(ZoneOffset.UTC);
    f[i++] = t.getDayOfWeek().getValue();
    f[i++] = t.getMonthValue();
    f[i] = t.getHour() * 60 + t.getMinute();
    return f;
  }

  private double volumeZ(double volume) {
    if (volumes.size() < VOLUME_WINDOW) {
      return Double.NaN;
    }
    double mean = 0;
    for (double x : volumes) {
      mean += x;
    }
    mean /= volumes.size();
    double var = 0;
    for (double x : volumes) {
      var += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(var / volumes.size());
    return sd == 0 ? Double.NaN : (volume - mean) / sd;
  }

  private double obvSlope() {
    if (obvs.size() < OBV_SPAN + 1) {
      return Double.NaN;
    }
    double traded = 0;
    int k = 0;
    for (double x : volumes) { // newest first
      if (k++ == OBV_SPAN) {
        break;
      }
      traded += x;
    }
    return traded == 0 ? Double.NaN : (obvs.peekFirst() - obvs.peekLast()) / traded;
  }

  /** Adds {@code x} as the newest element, keeping the newest {@code max}. */
  private static void push(Deque<Double> window, double x, int max) {
    window.addFirst(x);
    if (window.size() > max) {
      window.removeLast();
    }
  }

  private static double ratioMinusOne(double close, Double average) {
    return average == null ? Double.NaN : close / average - 1;
  }

  private static double orNaN(Double x) {
    return x == null ? Double.NaN : x;
  }
}

package dev.ticklake.transforms.indicators;

/**
 * Computes Gold's technical indicators over one bar series (one symbol, one bar size), one bar at a
 * time in strictly increasing bar-start order. Bar {@code t} below counts from 1 and "close" means
 * the bar's close. These are TickLake's definitions; where the literature differs, these win:
 *
 * <ul>
 *   <li><b>SMA(n)</b>, n = 20, 50: mean of the last n closes; null while fewer than n bars.
 *   <li><b>EMA(n)</b>, n = 12, 26: α = 2/(n+1); at bar n the SMA of the first n closes; then EMA_t
 *       = α·close_t + (1−α)·EMA_{t−1}, evaluated as EMA_{t−1} + α·(close_t − EMA_{t−1}) so that a
 *       flat series stays exactly flat; null before bar n.
 *   <li><b>MACD(12, 26, 9)</b>: line = EMA12 − EMA26 (from bar 26); signal = EMA(9) of the line,
 *       seeded with the mean of the first 9 line values (from bar 34); histogram = line − signal.
 *   <li><b>RSI(14), Wilder</b>: d_t = close_t − close_{t−1}, gain = max(d, 0), loss = max(−d, 0).
 *       At bar 15 the average gain/loss is the mean of the first 14 gains/losses; then avg_t =
 *       (avg_{t−1}·13 + current)/14. RSI = 100 − 100/(1 + avgGain/avgLoss); 100 when avgLoss = 0
 *       and avgGain &gt; 0; 50 when both are 0 (flat prices). Never NaN or infinite.
 *   <li><b>Bollinger(20, 2)</b>: middle = SMA20; sd = population standard deviation of the last 20
 *       closes; upper/lower = middle ± 2·sd; %b = (close − lower)/(upper − lower), or 0.5 when
 *       upper == lower.
 *   <li><b>ATR(14), Wilder</b>: TR_1 = high − low; TR_t = max(high − low, |high − close_{t−1}|,
 *       |low − close_{t−1}|). At bar 14 the mean of the first 14 TRs; then ATR_t = (ATR_{t−1}·13 +
 *       TR_t)/14.
 *   <li><b>Realised volatility(20)</b>: sample (n − 1) standard deviation of the last 20 log
 *       returns ln(close_t/close_{t−1}); from bar 21; multiplied by √252 when {@code
 *       annualiseVolatility} (daily bars).
 *   <li><b>OBV</b>: 0 at bar 1; then + volume if close rose, − volume if it fell, unchanged if
 *       equal.
 * </ul>
 *
 * <p>Gaps in time between bars (missing minutes, weekends, halts) reset nothing: every indicator
 * runs over consecutive bars of the series.
 *
 * <p>Guarantees: memory is bounded (see {@link IndicatorState}); window statistics are recomputed
 * from the window on every bar rather than kept as running sums, so they do not drift; {@link
 * #snapshot()} after any bar, restored with {@link #IndicatorEngine(IndicatorState, boolean)},
 * continues with bit-identical results. Not thread-safe: one engine per series.
 */
public final class IndicatorEngine {
  /** √252: trading days a year, to annualise the volatility of daily bars. */
  public static final double ANNUALISATION_FACTOR = Math.sqrt(252.0);

  private static final int SMA_SHORT = 20;
  private static final int SMA_LONG = 50;
  private static final int EMA_FAST = 12;
  private static final int EMA_SLOW = 26;
  private static final int MACD_SIGNAL = 9;
  private static final int RSI_PERIOD = 14;
  private static final int ATR_PERIOD = 14;
  private static final int BOLLINGER_PERIOD = 20;
  private static final double BOLLINGER_WIDTH = 2.0;
  private static final int VOLATILITY_PERIOD = 20;

  private final boolean annualiseVolatility;

  private long barCount;
  private long lastBarStartMicros;
  private final DoubleRing closes;
  private final DoubleRing logReturns;
  private final DoubleRing trueRangeSeed;
  private final DoubleRing macdSeed;
  private Double ema12;
  private Double ema26;
  private Double macdSignal;
  private Double avgGain;
  private Double avgLoss;
  private Double atr;
  private double obv;

  /** A fresh engine; {@code annualiseVolatility} should be true for daily bars only. */
  public IndicatorEngine(boolean annualiseVolatility) {
    this(IndicatorState.EMPTY, annualiseVolatility);
  }

  /** An engine that continues exactly where the engine that produced {@code state} stopped. */
  public IndicatorEngine(IndicatorState state, boolean annualiseVolatility) {
    this.annualiseVolatility = annualiseVolatility;
    this.barCount = state.barCount();
    this.lastBarStartMicros = state.lastBarStartMicros();
    this.closes = DoubleRing.of(IndicatorState.MAX_CLOSES, state.closes());
    this.logReturns = DoubleRing.of(IndicatorState.MAX_LOG_RETURNS, state.logReturns());
    // One slot more than a state holds: the seed is full only transiently, within accept().
    this.trueRangeSeed = DoubleRing.of(ATR_PERIOD, state.trueRangeSeed());
    this.macdSeed = DoubleRing.of(MACD_SIGNAL, state.macdSeed());
    this.ema12 = state.ema12();
    this.ema26 = state.ema26();
    this.macdSignal = state.macdSignal();
    this.avgGain = state.avgGain();
    this.avgLoss = state.avgLoss();
    this.atr = state.atr();
    this.obv = state.obv();
  }

  /** An engine for daily bars (volatility annualised by √252). */
  public static IndicatorEngine forDailyBars() {
    return new IndicatorEngine(true);
  }

  /** An engine for intraday bars (volatility per bar, not annualised). */
  public static IndicatorEngine forIntradayBars() {
    return new IndicatorEngine(false);
  }

  /**
   * Consumes the next bar and returns its indicators.
   *
   * @throws IllegalArgumentException if the bar does not start strictly after the previous one (the
   *     engine is left unchanged)
   */
  public IndicatorValues accept(Bar bar) {
    bar.requireAfter(barCount > 0, lastBarStartMicros, "computing indicators");
    double close = bar.close();
    double change = 0.0;
    double trueRange = bar.high() - bar.low();
    if (barCount > 0) {
      double previousClose = closes.last();
      change = close - previousClose;
      trueRange =
          Math.max(
              trueRange,
              Math.max(Math.abs(bar.high() - previousClose), Math.abs(bar.low() - previousClose)));
      logReturns.add(Math.log(close / previousClose));
      obv += change > 0 ? bar.volume() : change < 0 ? -bar.volume() : 0.0;
    }
    barCount++;
    lastBarStartMicros = bar.barStartMicros();
    closes.add(close);

    Double sma20 = simpleMovingAverage(SMA_SHORT);
    Double sma50 = simpleMovingAverage(SMA_LONG);
    ema12 = nextEma(ema12, EMA_FAST, close);
    ema26 = nextEma(ema26, EMA_SLOW, close);

    Double macd = ema26 == null ? null : ema12 - ema26;
    if (macd != null) {
      updateMacdSignal(macd);
    }
    Double macdHist = macdSignal == null ? null : macd - macdSignal;

    updateRsiAverages(change);
    updateAtr(trueRange);

    Double bbUpper = null;
    Double bbLower = null;
    Double bbPctB = null;
    if (sma20 != null) {
      double sd = WindowStats.populationStdev(closes.lastN(BOLLINGER_PERIOD), sma20);
      double upper = sma20 + BOLLINGER_WIDTH * sd;
      double lower = sma20 - BOLLINGER_WIDTH * sd;
      bbUpper = upper;
      bbLower = lower;
      bbPctB = upper == lower ? 0.5 : (close - lower) / (upper - lower);
    }

    return new IndicatorValues(
        sma20,
        sma50,
        ema12,
        ema26,
        rsi(),
        macd,
        macdSignal,
        macdHist,
        bbUpper,
        sma20,
        bbLower,
        bbPctB,
        atr,
        volatility(),
        obv);
  }

  /** The engine's complete state after the last bar; independent of later {@link #accept}s. */
  public IndicatorState snapshot() {
    return new IndicatorState(
        barCount,
        lastBarStartMicros,
        closes.toArray(),
        logReturns.toArray(),
        trueRangeSeed.toArray(),
        macdSeed.toArray(),
        ema12,
        ema26,
        macdSignal,
        avgGain,
        avgLoss,
        atr,
        obv);
  }

  /** Bars consumed so far, including those before a restored snapshot. */
  public long barCount() {
    return barCount;
  }

  public boolean annualisesVolatility() {
    return annualiseVolatility;
  }

  private Double simpleMovingAverage(int period) {
    return barCount < period ? null : WindowStats.mean(closes.lastN(period));
  }

  private Double nextEma(Double previous, int period, double close) {
    if (barCount < period) {
      return null;
    }
    if (barCount == period) {
      // All first n closes are still in the ring (n <= 50), so the seed needs no extra state.
      return WindowStats.mean(closes.lastN(period));
    }
    return previous + alpha(period) * (close - previous);
  }

  private void updateMacdSignal(double macd) {
    if (macdSignal != null) {
      macdSignal = macdSignal + alpha(MACD_SIGNAL) * (macd - macdSignal);
      return;
    }
    macdSeed.add(macd);
    if (macdSeed.isFull()) {
      macdSignal = WindowStats.mean(macdSeed.toArray());
      macdSeed.clear();
    }
  }

  private void updateRsiAverages(double change) {
    if (barCount < RSI_PERIOD + 1) {
      return;
    }
    if (barCount == RSI_PERIOD + 1) {
      // The first 15 closes are still in the ring: seed from their 14 changes.
      double[] first = closes.lastN(RSI_PERIOD + 1);
      double gains = 0.0;
      double losses = 0.0;
      for (int i = 1; i < first.length; i++) {
        double d = first[i] - first[i - 1];
        gains += Math.max(d, 0.0);
        losses += Math.max(-d, 0.0);
      }
      avgGain = gains / RSI_PERIOD;
      avgLoss = losses / RSI_PERIOD;
      return;
    }
    avgGain = (avgGain * (RSI_PERIOD - 1) + Math.max(change, 0.0)) / RSI_PERIOD;
    avgLoss = (avgLoss * (RSI_PERIOD - 1) + Math.max(-change, 0.0)) / RSI_PERIOD;
  }

  private Double rsi() {
    if (avgGain == null) {
      return null;
    }
    if (avgLoss == 0.0) {
      return avgGain > 0.0 ? 100.0 : 50.0;
    }
    return 100.0 - 100.0 / (1.0 + avgGain / avgLoss);
  }

  private void updateAtr(double trueRange) {
    if (atr != null) {
      atr = (atr * (ATR_PERIOD - 1) + trueRange) / ATR_PERIOD;
      return;
    }
    trueRangeSeed.add(trueRange);
    if (trueRangeSeed.isFull()) {
      double sum = 0.0;
      for (double tr : trueRangeSeed.toArray()) {
        sum += tr;
      }
      atr = sum / ATR_PERIOD;
      trueRangeSeed.clear();
    }
  }

  private Double volatility() {
    if (logReturns.size() < VOLATILITY_PERIOD) {
      return null;
    }
    double[] window = logReturns.lastN(VOLATILITY_PERIOD);
    double sd = WindowStats.sampleStdev(window, WindowStats.mean(window));
    return annualiseVolatility ? sd * ANNUALISATION_FACTOR : sd;
  }

  private static double alpha(int period) {
    return 2.0 / (period + 1);
  }
}

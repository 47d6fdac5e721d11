package dev.ticklake.transforms.indicators;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The complete state of an {@link IndicatorEngine} after some bar: an immutable, serializable value
 * with bit-exact {@link #equals} (doubles compared by their bits). Restoring it with {@link
 * IndicatorEngine#IndicatorEngine(IndicatorState, boolean)} and continuing gives bit-identical
 * values to an uninterrupted run.
 *
 * <p>Bounded: at most 50 closes, 20 log returns, 13 seed true ranges and 8 seed MACD values,
 * whatever the length of the history. The seed buffers are only non-empty during warm-up (before
 * ATR and the MACD signal exist). Arrays are copied on construction and on access.
 *
 * @param barCount bars consumed so far
 * @param lastBarStartMicros start of the last bar consumed; meaningless when {@code barCount == 0}
 * @param closes the last min(barCount, 50) closes, oldest first
 * @param logReturns the last min(barCount − 1, 20) log returns, oldest first
 * @param trueRangeSeed the true ranges of the bars so far while fewer than 14 (then empty)
 * @param macdSeed the MACD values so far while fewer than 9 (then empty)
 * @param ema12 EMA(12) after the last bar, or null during warm-up
 * @param ema26 EMA(26) after the last bar, or null during warm-up
 * @param macdSignal MACD signal after the last bar, or null during warm-up
 * @param avgGain Wilder average gain after the last bar, or null during warm-up
 * @param avgLoss Wilder average loss after the last bar, or null during warm-up
 * @param atr ATR(14) after the last bar, or null during warm-up
 * @param obv on-balance volume after the last bar (0 before any bar)
 */
public record IndicatorState(
    long barCount,
    long lastBarStartMicros,
    double[] closes,
    double[] logReturns,
    double[] trueRangeSeed,
    double[] macdSeed,
    Double ema12,
    Double ema26,
    Double macdSignal,
    Double avgGain,
    Double avgLoss,
    Double atr,
    double obv)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  static final int MAX_CLOSES = 50;
  static final int MAX_LOG_RETURNS = 20;
  static final int MAX_TRUE_RANGE_SEED = 13;
  static final int MAX_MACD_SEED = 8;

  /** The state before the first bar. */
  public static final IndicatorState EMPTY =
      new IndicatorState(
          0,
          0,
          new double[0],
          new double[0],
          new double[0],
          new double[0],
          null,
          null,
          null,
          null,
          null,
          null,
          0.0);

  public IndicatorState {
    closes = bounded(closes, MAX_CLOSES, "closes");
    logReturns = bounded(logReturns, MAX_LOG_RETURNS, "logReturns");
    trueRangeSeed = bounded(trueRangeSeed, MAX_TRUE_RANGE_SEED, "trueRangeSeed");
    macdSeed = bounded(macdSeed, MAX_MACD_SEED, "macdSeed");
    if (barCount < 0 || closes.length != Math.min(barCount, MAX_CLOSES)) {
      throw new IllegalArgumentException(
          "Inconsistent indicator state: "
              + barCount
              + " bars but "
              + closes.length
              + " closes; restore only states produced by IndicatorEngine.snapshot()");
    }
  }

  @Override
  public double[] closes() {
    return closes.clone();
  }

  @Override
  public double[] logReturns() {
    return logReturns.clone();
  }

  @Override
  public double[] trueRangeSeed() {
    return trueRangeSeed.clone();
  }

  @Override
  public double[] macdSeed() {
    return macdSeed.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndicatorState that
        && barCount == that.barCount
        && lastBarStartMicros == that.lastBarStartMicros
        && Arrays.equals(closes, that.closes)
        && Arrays.equals(logReturns, that.logReturns)
        && Arrays.equals(trueRangeSeed, that.trueRangeSeed)
        && Arrays.equals(macdSeed, that.macdSeed)
        && Objects.equals(ema12, that.ema12)
        && Objects.equals(ema26, that.ema26)
        && Objects.equals(macdSignal, that.macdSignal)
        && Objects.equals(avgGain, that.avgGain)
        && Objects.equals(avgLoss, that.avgLoss)
        && Objects.equals(atr, that.atr)
        && Double.compare(obv, that.obv) == 0;
  }

  @Override
  public int hashCode() {
    int result =
        Objects.hash(
            barCount, lastBarStartMicros, ema12, ema26, macdSignal, avgGain, avgLoss, atr, obv);
    result = 31 * result + Arrays.hashCode(closes);
    result = 31 * result + Arrays.hashCode(logReturns);
    result = 31 * result + Arrays.hashCode(trueRangeSeed);
    return 31 * result + Arrays.hashCode(macdSeed);
  }

  @Override
  public String toString() {
    return "IndicatorState[barCount="
        + barCount
        + ", lastBarStartMicros="
        + lastBarStartMicros
        + ", closes="
        + Arrays.toString(closes)
        + ", logReturns="
        + Arrays.toString(logReturns)
        + ", trueRangeSeed="
        + Arrays.toString(trueRangeSeed)
        + ", macdSeed="
        + Arrays.toString(macdSeed)
        + ", ema12="
        + ema12
        + ", ema26="
        + ema26
        + ", macdSignal="
        + macdSignal
        + ", avgGain="
        + avgGain
        + ", avgLoss="
        + avgLoss
        + ", atr="
        + atr
        + ", obv="
        + obv
        + "]";
  }

  private static double[] bounded(double[] values, int max, String name) {
    Objects.requireNonNull(values, name);
    if (values.length > max) {
      throw new IllegalArgumentException(
          "Indicator state holds " + values.length + " " + name + " but at most " + max);
    }
    return values.clone();
  }
}

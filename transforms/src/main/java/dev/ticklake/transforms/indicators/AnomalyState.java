package dev.ticklake.transforms.indicators;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The complete state of an {@link AnomalyDetector} after some bar: an immutable, serializable value
 * with bit-exact {@link #equals}. Bounded: at most {@code window} log returns.
 *
 * @param window the detector's window (number of previous returns a z-score is measured against)
 * @param barCount bars consumed so far
 * @param lastBarStartMicros start of the last bar consumed; meaningless when {@code barCount == 0}
 * @param lastClose close of the last bar; meaningless when {@code barCount == 0}
 * @param logReturns the last min(barCount − 1, window) log returns, oldest first
 */
public record AnomalyState(
    int window, long barCount, long lastBarStartMicros, double lastClose, double[] logReturns)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public AnomalyState {
    Objects.requireNonNull(logReturns, "logReturns");
    if (window < 2
        || barCount < 0
        || logReturns.length > window
        || logReturns.length != Math.min(Math.max(barCount - 1, 0), window)) {
      throw new IllegalArgumentException(
          "Inconsistent anomaly state: window "
              + window
              + ", "
              + barCount
              + " bars, "
              + logReturns.length
              + " returns; restore only states produced by AnomalyDetector.snapshot()");
    }
    logReturns = logReturns.clone();
  }

  /** The state of a detector with this window before its first bar. */
  public static AnomalyState empty(int window) {
    return new AnomalyState(window, 0, 0, 0.0, new double[0]);
  }

  @Override
  public double[] logReturns() {
    return logReturns.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnomalyState that
        && window == that.window
        && barCount == that.barCount
        && lastBarStartMicros == that.lastBarStartMicros
        && Double.compare(lastClose, that.lastClose) == 0
        && Arrays.equals(logReturns, that.logReturns);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(window, barCount, lastBarStartMicros, lastClose)
        + Arrays.hashCode(logReturns);
  }

  @Override
  public String toString() {
    return "AnomalyState[window="
        + window
        + ", barCount="
        + barCount
        + ", lastBarStartMicros="
        + lastBarStartMicros
        + ", lastClose="
        + lastClose
        + ", logReturns="
        + Arrays.toString(logReturns)
        + "]";
  }
}

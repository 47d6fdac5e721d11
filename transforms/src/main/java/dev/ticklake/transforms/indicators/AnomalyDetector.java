package dev.ticklake.transforms.indicators;

import java.util.Optional;

/**
 * Flags bars whose log return is an outlier against the log returns of the bars before it, for
 * {@code gold/anomalies}. Consumes one series' bars in strictly increasing bar-start order.
 *
 * <p>Definition: r_t = ln(close_t / close_{t−1}). With W = {@code window} (default 60), once W
 * previous returns r_{t−W} … r_{t−1} exist, z_t = (r_t − mean)/stdev where mean and stdev are the
 * mean and the SAMPLE (n − 1) standard deviation of those W previous returns (r_t itself excluded).
 * Bar t is an anomaly when |z_t| &gt; {@code threshold} (default 3), direction "up" when z_t &gt; 0
 * and "down" otherwise. No anomaly is reported while fewer than W previous returns exist, nor when
 * stdev is 0 (z undefined), so results are never NaN or infinite. Gaps in time reset nothing.
 *
 * <p>Guarantees: bounded memory (W returns); the window statistics are recomputed from the window
 * on every bar; {@link #snapshot()} after any bar, restored with {@link #restore}, continues with
 * bit-identical results. Not thread-safe: one detector per series.
 */
public final class AnomalyDetector {
  public static final int DEFAULT_WINDOW = 60;
  public static final double DEFAULT_THRESHOLD = 3.0;

  private final double threshold;
  private final int window;
  private final DoubleRing logReturns;
  private long barCount;
  private long lastBarStartMicros;
  private double lastClose;

  /** A detector with the default window (60) and threshold (3). */
  public AnomalyDetector() {
    this(DEFAULT_WINDOW, DEFAULT_THRESHOLD);
  }

  /**
   * A detector measuring each return against the previous {@code window} returns (at least 2) and
   * flagging |z| &gt; {@code threshold} (finite, &gt; 0).
   */
  public AnomalyDetector(int window, double threshold) {
    this(AnomalyState.empty(window), threshold);
  }

  private AnomalyDetector(AnomalyState state, double threshold) {
    if (!(Double.isFinite(threshold) && threshold > 0)) {
      throw new IllegalArgumentException(
          "Anomaly threshold must be a finite z-score > 0 but was " + threshold);
    }
    this.threshold = threshold;
    this.window = state.window();
    this.logReturns = DoubleRing.of(window, state.logReturns());
    this.barCount = state.barCount();
    this.lastBarStartMicros = state.lastBarStartMicros();
    this.lastClose = state.lastClose();
  }

  /** A detector that continues exactly where the one that produced {@code state} stopped. */
  public static AnomalyDetector restore(AnomalyState state, double threshold) {
    return new AnomalyDetector(state, threshold);
  }

  /**
   * Consumes the next bar; returns the anomaly it is, if any.
   *
   * @throws IllegalArgumentException if the bar does not start strictly after the previous one (the
   *     detector is left unchanged)
   */
  public Optional<Anomaly> accept(Bar bar) {
    bar.requireAfter(barCount > 0, lastBarStartMicros, "detecting anomalies");
    Optional<Anomaly> anomaly = Optional.empty();
    if (barCount > 0) {
      double logReturn = Math.log(bar.close() / lastClose);
      if (logReturns.isFull()) {
        anomaly = score(bar, logReturn);
      }
      logReturns.add(logReturn);
    }
    barCount++;
    lastBarStartMicros = bar.barStartMicros();
    lastClose = bar.close();
    return anomaly;
  }

  /** The detector's complete state after the last bar; independent of later {@link #accept}s. */
  public AnomalyState snapshot() {
    return new AnomalyState(window, barCount, lastBarStartMicros, lastClose, logReturns.toArray());
  }

  public int window() {
    return window;
  }

  public double threshold() {
    return threshold;
  }

  private Optional<Anomaly> score(Bar bar, double logReturn) {
    double[] previous = logReturns.toArray();
    double mean = WindowStats.mean(previous);
    double stdev = WindowStats.sampleStdev(previous, mean);
    if (stdev == 0.0) {
      return Optional.empty();
    }
    double z = (logReturn - mean) / stdev;
    if (!(Math.abs(z) > threshold)) {
      return Optional.empty();
    }
    Anomaly.Direction direction = z > 0 ? Anomaly.Direction.UP : Anomaly.Direction.DOWN;
    return Optional.of(
        new Anomaly(bar.barStartMicros(), bar.close(), logReturn, z, mean, stdev, direction));
  }
}

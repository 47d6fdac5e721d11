package dev.ticklake.transforms.indicators;

import java.io.Serializable;

/**
 * A bar whose log return is an outlier against the returns before it, as reported by {@link
 * AnomalyDetector}.
 *
 * @param barStartMicros start of the anomalous bar, microseconds since the Unix epoch (UTC)
 * @param close the bar's close
 * @param logReturn ln(close / previous close)
 * @param zScore (logReturn − mean) / stdev, both over the previous window of returns
 * @param windowMean mean of the previous window's log returns
 * @param windowStdev sample standard deviation of the previous window's log returns (&gt; 0)
 * @param direction {@link Direction#UP} for a positive z-score, {@link Direction#DOWN} otherwise
 */
public record Anomaly(
    long barStartMicros,
    double close,
    double logReturn,
    double zScore,
    double windowMean,
    double windowStdev,
    Direction direction)
    implements Serializable {

  /** Which way the price jumped. */
  public enum Direction {
    UP("up"),
    DOWN("down");

    private final String label;

    Direction(String label) {
      this.label = label;
    }

    /** The value written to {@code gold/anomalies}: {@code "up"} or {@code "down"}. */
    public String label() {
      return label;
    }
  }
}

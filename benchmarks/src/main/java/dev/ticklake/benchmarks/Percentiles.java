package dev.ticklake.benchmarks;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * p50, p95 and max of a sample of durations in milliseconds, by the nearest-rank method (the value
 * at rank {@code ceil(p/100 * n)} of the sorted sample, so every reported value was measured).
 * Immutable.
 */
public record Percentiles(long count, double p50, double p95, double max) {

  /** The percentiles of {@code millis} (not modified); all NaN when it is empty. */
  public static Percentiles of(double[] millis) {
    if (millis.length == 0) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length, rank(sorted, 50), rank(sorted, 95), sorted[sorted.length - 1]);
  }

  /** The percentiles of {@code millis}; all NaN when it is empty. */
  public static Percentiles of(Collection<Double> millis) {
    return of(millis.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static double rank(double[] sorted, double percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** {@code {count, p50Ms, p95Ms, maxMs}}, rounded to 0.1 ms. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("p50Ms", round(p50));
    m.put("p95Ms", round(p95));
    m.put("maxMs", round(max));
    return m;
  }

  private static Object round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
  }
}

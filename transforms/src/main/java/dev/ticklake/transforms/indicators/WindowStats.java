package dev.ticklake.transforms.indicators;

/**
 * Mean and standard deviations of a small window, recomputed from scratch on every call (no running
 * sums), so the result depends only on the window's values and their order — the property that
 * makes snapshot/restore bit-exact.
 *
 * <p>Sums are taken of deviations from the window's first value (a shifted-data computation): this
 * is mathematically the plain mean but loses no precision when values are large and close together
 * (prices), and a constant window gives exactly that constant and a standard deviation of exactly
 * 0.
 */
final class WindowStats {
  private WindowStats() {}

  static double mean(double[] window) {
    double shift = window[0];
    double sum = 0.0;
    for (double value : window) {
      sum += value - shift;
    }
    return shift + sum / window.length;
  }

  /** Population standard deviation (divides by n). */
  static double populationStdev(double[] window, double mean) {
    return Math.sqrt(sumOfSquaredDeviations(window, mean) / window.length);
  }

  /** Sample standard deviation (divides by n − 1); requires at least two values. */
  static double sampleStdev(double[] window, double mean) {
    return Math.sqrt(sumOfSquaredDeviations(window, mean) / (window.length - 1));
  }

  private static double sumOfSquaredDeviations(double[] window, double mean) {
    double sum = 0.0;
    for (double value : window) {
      double deviation = value - mean;
      sum += deviation * deviation;
    }
    return sum;
  }
}

package dev.ticklake.transforms.indicators;

import java.util.List;

/**
 * Straightforward, non-incremental implementations of the indicator definitions over a whole array,
 * written independently of the production code: every value is computed from the full history with
 * the textbook formula (plain sums, two-pass deviations, literal recurrences). Index i is bar i +
 * 1; null marks "not defined yet".
 */
final class ReferenceIndicators {
  private ReferenceIndicators() {}

  static double[] closes(List<Bar> bars) {
    return bars.stream().mapToDouble(Bar::close).toArray();
  }

  static Double[] sma(double[] x, int n) {
    Double[] out = new Double[x.length];
    for (int i = n - 1; i < x.length; i++) {
      double sum = 0;
      for (int j = i - n + 1; j <= i; j++) {
        sum += x[j];
      }
      out[i] = sum / n;
    }
    return out;
  }

  /** EMA over the defined (non-null) part of {@code x}, seeded with the SMA of its first n. */
  static Double[] ema(Double[] x, int n) {
    Double[] out = new Double[x.length];
    int first = 0;
    while (first < x.length && x[first] == null) {
      first++;
    }
    int seedAt = first + n - 1;
    if (seedAt >= x.length) {
      return out;
    }
    double sum = 0;
    for (int j = first; j <= seedAt; j++) {
      sum += x[j];
    }
    out[seedAt] = sum / n;
    double alpha = 2.0 / (n + 1);
    for (int i = seedAt + 1; i < x.length; i++) {
      out[i] = alpha * x[i] + (1 - alpha) * out[i - 1];
    }
    return out;
  }

  static Double[] boxed(double[] x) {
    Double[] out = new Double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  static Double[] minus(Double[] a, Double[] b) {
    Double[] out = new Double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] == null || b[i] == null ? null : a[i] - b[i];
    }
    return out;
  }

  static Double[] rsi(double[] x, int n) {
    Double[] out = new Double[x.length];
    if (x.length <= n) {
      return out;
    }
    double gain = 0;
    double loss = 0;
    for (int i = 1; i <= n; i++) {
      gain += Math.max(x[i] - x[i - 1], 0);
      loss += Math.max(x[i - 1] - x[i], 0);
    }
    gain /= n;
    loss /= n;
    out[n] = rsiOf(gain, loss);
    for (int i = n + 1; i < x.length; i++) {
      gain = (gain * (n - 1) + Math.max(x[i] - x[i - 1], 0)) / n;
      loss = (loss * (n - 1) + Math.max(x[i - 1] - x[i], 0)) / n;
      out[i] = rsiOf(gain, loss);
    }
    return out;
  }

  private static double rsiOf(double gain, double loss) {
    if (loss == 0) {
      return gain == 0 ? 50 : 100;
    }
    return 100 - 100 / (1 + gain / loss);
  }

  /** Population (ddof = 0) or sample (ddof = 1) standard deviation of x[i−n+1 .. i]. */
  static Double[] rollingStdev(Double[] x, int n, int ddof) {
    Double[] out = new Double[x.length];
    for (int i = 0; i < x.length; i++) {
      if (i - n + 1 < 0 || x[i - n + 1] == null) {
        continue;
      }
      double sum = 0;
      for (int j = i - n + 1; j <= i; j++) {
        sum += x[j];
      }
      double mean = sum / n;
      double squares = 0;
      for (int j = i - n + 1; j <= i; j++) {
        squares += (x[j] - mean) * (x[j] - mean);
      }
      out[i] = Math.sqrt(squares / (n - ddof));
    }
    return out;
  }

  static Double[] trueRanges(List<Bar> bars) {
    Double[] out = new Double[bars.size()];
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double range = bar.high() - bar.low();
      if (i > 0) {
        double previousClose = bars.get(i - 1).close();
        range =
            Math.max(
                range,
                Math.max(
                    Math.abs(bar.high() - previousClose), Math.abs(bar.low() - previousClose)));
      }
      out[i] = range;
    }
    return out;
  }

  static Double[] atr(List<Bar> bars, int n) {
    Double[] tr = trueRanges(bars);
    Double[] out = new Double[tr.length];
    if (tr.length < n) {
      return out;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += tr[i];
    }
    out[n - 1] = sum / n;
    for (int i = n; i < tr.length; i++) {
      out[i] = (out[i - 1] * (n - 1) + tr[i]) / n;
    }
    return out;
  }

  /** Log returns aligned to bars: index i holds ln(x[i]/x[i−1]), index 0 is null. */
  static Double[] logReturns(double[] x) {
    Double[] out = new Double[x.length];
    for (int i = 1; i < x.length; i++) {
      out[i] = Math.log(x[i] / x[i - 1]);
    }
    return out;
  }

  static Double[] obv(List<Bar> bars) {
    Double[] out = new Double[bars.size()];
    double obv = 0;
    for (int i = 0; i < bars.size(); i++) {
      if (i > 0) {
        double previous = bars.get(i - 1).close();
        double close = bars.get(i).close();
        if (close > previous) {
          obv += bars.get(i).volume();
        } else if (close < previous) {
          obv -= bars.get(i).volume();
        }
      }
      out[i] = obv;
    }
    return out;
  }
}

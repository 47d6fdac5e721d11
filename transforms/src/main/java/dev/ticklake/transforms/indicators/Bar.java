package dev.ticklake.transforms.indicators;

import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One OHLCV bar of a series, the input of {@link IndicatorEngine} and {@link AnomalyDetector}.
 *
 * <p>Prices must be finite and strictly positive (log returns are taken of closes) with {@code low
 * <= open, close <= high}; volume must be finite and non-negative. Violations throw {@link
 * IllegalArgumentException} naming the offending bar, because an indicator silently computed from a
 * corrupt bar would poison every later value of a recursive indicator.
 *
 * @param barStartMicros start of the bar, microseconds since the Unix epoch (UTC)
 */
public record Bar(
    long barStartMicros, double open, double high, double low, double close, double volume)
    implements Serializable {

  public Bar {
    String where = "bar starting at " + barStartMicros + " µs";
    requirePositive(open, "open", where);
    requirePositive(high, "high", where);
    requirePositive(low, "low", where);
    requirePositive(close, "close", where);
    if (!(Double.isFinite(volume) && volume >= 0)) {
      throw new IllegalArgumentException(
          "Invalid " + where + ": volume must be finite and >= 0 but was " + volume);
    }
    if (low > high || open < low || open > high || close < low || close > high) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid %s: expected low <= open, close <= high but got"
                  + " open=%s high=%s low=%s close=%s; fix the bar source or quarantine the bar",
              where, open, high, low, close));
    }
  }

  /** A bar starting at {@code barStart} (truncated to microseconds). */
  public static Bar of(
      Instant barStart, double open, double high, double low, double close, double volume) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, barStart);
    return new Bar(micros, open, high, low, close, volume);
  }

  /** The bar start as an {@link Instant}. */
  public Instant barStart() {
    return instantOf(barStartMicros);
  }

  /**
   * Checks that this bar, the next of a series, starts strictly after the series' last bar.
   *
   * @param hasPrevious whether the series has a last bar (nothing to check otherwise)
   * @param previousStartMicros the last bar's start
   * @param doing what the series is for, ending the message ("computing indicators")
   */
  void requireAfter(boolean hasPrevious, long previousStartMicros, String doing) {
    if (hasPrevious && barStartMicros <= previousStartMicros) {
      throw new IllegalArgumentException(
          "Bars must arrive in strictly increasing bar-start order, but a bar starting at "
              + barStart()
              + " followed one starting at "
              + instantOf(previousStartMicros)
              + "; sort each series by bar start and drop duplicates before "
              + doing);
    }
  }

  static Instant instantOf(long epochMicros) {
    return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
  }

  private static void requirePositive(double value, String name, String where) {
    if (!(Double.isFinite(value) && value > 0)) {
      throw new IllegalArgumentException(
          "Invalid " + where + ": " + name + " must be finite and > 0 but was " + value);
    }
  }
}

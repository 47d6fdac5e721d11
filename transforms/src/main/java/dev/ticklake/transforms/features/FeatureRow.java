package dev.ticklake.transforms.features;

import java.util.Arrays;
import java.util.Objects;

/**
 * One bar's features and labels.
 *
 * @param features values in {@link FeatureSchema#NAMES} order, NaN where undefined (never null)
 * @param labelUp 1/0, or null when the next bar does not exist yet
 * @param labelReturn ln(next close / close), or null
 * @param labelClose the next bar's close, or null
 */
public record FeatureRow(
    String symbol,
    long barStartMicros,
    double close,
    double[] features,
    Integer labelUp,
    Double labelReturn,
    Double labelClose) {

  public FeatureRow {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(features, "features");
  }

  /** True when every feature is defined (finite). */
  public boolean complete() {
    for (double x : features) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  /** True when the labels are filled (the next bar exists). */
  public boolean labelled() {
    return labelUp != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureRow r
        && symbol.equals(r.symbol)
        && barStartMicros == r.barStartMicros
        && Double.compare(close, r.close) == 0
        && Arrays.equals(features, r.features)
        && Objects.equals(labelUp, r.labelUp)
        && Objects.equals(labelReturn, r.labelReturn)
        && Objects.equals(labelClose, r.labelClose);
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, barStartMicros, Arrays.hashCode(features));
  }

  @Override
  public String toString() {
    return symbol + "@" + barStartMicros + " " + Arrays.toString(features) + " up=" + labelUp;
  }
}

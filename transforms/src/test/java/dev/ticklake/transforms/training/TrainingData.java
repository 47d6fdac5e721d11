package dev.ticklake.transforms.training;

import dev.ticklake.transforms.features.FeatureLake;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSchema;
import dev.ticklake.transforms.features.FeatureSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Synthetic training sets for the leakage and determinism tests. */
public final class TrainingData {
  private TrainingData() {}

  /** Feature rows of {@code symbols} independent random walks of {@code bars} daily bars each. */
  public static List<FeatureRow> randomWalk(int symbols, int bars, long seed) {
    List<FeatureRow> rows = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      rows.addAll(
          FeatureSeries.compute("S" + s, FeatureLake.randomDailyBars(bars, seed * 1000 + s), true));
    }
    return rows;
  }

  /**
   * Rows whose features are independent N(0, 1) and whose label is a known function of one of them
   * plus noise: up = (x[{@code feature}] + noise·N(0, 1) &gt; 0), next return = 0.01 × the same
   * sum.
   */
  public static List<FeatureRow> plantedSignal(
      int symbols, int steps, String feature, double noise, long seed) {
    Random r = new Random(seed);
    int j = FeatureSchema.indexOf(feature);
    List<FeatureRow> rows = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      for (int s = 0; s < symbols; s++) {
        double[] f = new double[FeatureSchema.NAMES.size()];
        for (int k = 0; k < f.length; k++) {
          f[k] = r.nextGaussian();
        }
        double z = f[j] + noise * r.nextGaussian();
        long micros = 86_400_000_000L * (20_000 + t);
        rows.add(
            new FeatureRow(
                "S" + s, micros, 100, f, z > 0 ? 1 : 0, 0.01 * z, 100 * Math.exp(0.01 * z)));
      }
    }
    return rows;
  }

  /** {@code rows} with one more feature at the end: the row's own next-bar return (a leak). */
  public static List<FeatureRow> withTomorrowsReturn(List<FeatureRow> rows) {
    List<FeatureRow> out = new ArrayList<>();
    for (FeatureRow r : rows) {
      double[] f = Arrays.copyOf(r.features(), r.features().length + 1);
      f[f.length - 1] = r.labelReturn() == null ? Double.NaN : r.labelReturn();
      out.add(
          new FeatureRow(
              r.symbol(),
              r.barStartMicros(),
              r.close(),
              f,
              r.labelUp(),
              r.labelReturn(),
              r.labelClose()));
    }
    return out;
  }
}

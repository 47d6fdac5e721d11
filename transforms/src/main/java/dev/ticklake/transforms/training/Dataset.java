package dev.ticklake.transforms.training;

import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a model is trained and evaluated on: labelled rows whose every feature is defined,
 * ordered by (bar start, symbol), each with its time step (the index of its bar start among the
 * distinct bar starts). Rows left out are counted by reason in {@link #dropped()}: {@code
 * unlabelled} (the latest bar of a symbol: no next bar yet) and {@code incomplete_features}
 * (warm-up, or a feature undefined e.g. by a constant volume); a model never sees a NaN label.
 */
public final class Dataset {
  private final List<String> featureNames;
  private final List<FeatureRow> rows;
  private final float[] matrix;
  private final int[] step;
  private final long[] stepTimes;
  private final Map<String, Long> dropped;

  private Dataset(
      List<String> featureNames,
      List<FeatureRow> rows,
      float[] matrix,
      int[] step,
      long[] stepTimes,
      Map<String, Long> dropped) {
    this.featureNames = featureNames;
    this.rows = rows;
    this.matrix = matrix;
    this.step = step;
    this.stepTimes = stepTimes;
    this.dropped = dropped;
  }

  /** The usable rows of {@code rows} with the standard features. */
  public static Dataset of(List<FeatureRow> rows) {
    return of(rows, FeatureSchema.NAMES);
  }

  /**
   * The usable rows of {@code rows}, whose feature vectors are named {@code featureNames} (the
   * standard ones, or a test's own).
   */
  public static Dataset of(List<FeatureRow> rows, List<String> featureNames) {
    long unlabelled = 0;
    long incomplete = 0;
    List<FeatureRow> usable = new ArrayList<>();
    for (FeatureRow r : rows) {
      if (r.features().length != featureNames.size()) {
        throw new IllegalArgumentException(
            "row " + r + " has " + r.features().length + " features, expected " + featureNames);
      }
      if (!r.labelled() || !Double.isFinite(r.labelReturn())) {
        unlabelled++;
      } else if (!r.complete()) {
        incomplete++;
      } else {
        usable.add(r);
      }
    }
    usable.sort(
        Comparator.comparingLong(FeatureRow::barStartMicros).thenComparing(FeatureRow::symbol));
    int d = featureNames.size();
    float[] m = new float[usable.size() * d];
    int[] step = new int[usable.size()];
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < usable.size(); i++) {
      FeatureRow r = usable.get(i);
      for (int j = 0; j < d; j++) {
        m[i * d + j] = (float) r.features()[j];
      }
      if (times.isEmpty() || times.get(times.size() - 1) != r.barStartMicros()) {
        times.add(r.barStartMicros());
      }
      step[i] = times.size() - 1;
    }
    Map<String, Long> dropped = new LinkedHashMap<>();
    dropped.put("unlabelled", unlabelled);
    dropped.put("incomplete_features", incomplete);
    return new Dataset(
        List.copyOf(featureNames),
        List.copyOf(usable),
        m,
        step,
        times.stream().mapToLong(Long::longValue).toArray(),
        Map.copyOf(dropped));
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public int size() {
    return rows.size();
  }

  /** Distinct bar starts. */
  public int steps() {
    return stepTimes.length;
  }

  public FeatureRow row(int i) {
    return rows.get(i);
  }

  public int stepOf(int i) {
    return step[i];
  }

  /** The bar start of time step {@code s}. */
  public long timeOf(int s) {
    return stepTimes[s];
  }

  /** Rows left out, by reason. */
  public Map<String, Long> dropped() {
    return dropped;
  }

  /** Feature {@code name} of row {@code i}. */
  public double feature(int i, String name) {
    int j = featureNames.indexOf(name);
    if (j < 0) {
      throw new IllegalArgumentException("no feature '" + name + "' in " + featureNames);
    }
    return rows.get(i).features()[j];
  }

  /** The indexes of the rows whose time step is in {@code [fromStep, toStep)}. */
  public int[] rowsInSteps(int fromStep, int toStep) {
    int lo = firstRowAtOrAfter(fromStep);
    int hi = firstRowAtOrAfter(toStep);
    int[] out = new int[Math.max(0, hi - lo)];
    for (int i = 0; i < out.length; i++) {
      out[i] = lo + i;
    }
    return out;
  }

  private int firstRowAtOrAfter(int s) {
    int lo = 0;
    int hi = step.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (step[mid] < s) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The feature matrix of {@code rowIndexes}, row-major. */
  public float[] matrix(int[] rowIndexes) {
    int d = featureNames.size();
    float[] out = new float[rowIndexes.length * d];
    for (int i = 0; i < rowIndexes.length; i++) {
      System.arraycopy(matrix, rowIndexes[i] * d, out, i * d, d);
    }
    return out;
  }

  /** Direction labels of {@code rowIndexes}. */
  public int[] up(int[] rowIndexes) {
    return Arrays.stream(rowIndexes).map(i -> rows.get(i).labelUp()).toArray();
  }

  /** Next-bar log returns of {@code rowIndexes}. */
  public double[] nextReturn(int[] rowIndexes) {
    return Arrays.stream(rowIndexes).mapToDouble(i -> rows.get(i).labelReturn()).toArray();
  }
}

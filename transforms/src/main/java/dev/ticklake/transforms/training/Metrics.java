package dev.ticklake.transforms.training;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Evaluation metrics of probabilistic classifiers and regressors. Pure functions of their arrays;
 * every method fails on empty or mismatched input with a message.
 */
public final class Metrics {
  /** Probabilities are clipped to [EPS, 1 − EPS] for the log-loss. */
  public static final double EPS = 1e-15;

  private Metrics() {}

  /**
   * Area under the ROC curve: the probability that a random positive scores above a random negative
   * (ties count one half), by the rank-sum formula with average ranks for ties. 0.5 when one class
   * is absent (undefined; reported as chance).
   */
  public static double auc(double[] score, int[] label) {
    check(score.length, label.length);
    int n = score.length;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    double[] rank = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
        j++;
      }
      double average = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[order[k]] = average;
      }
      i = j + 1;
    }
    long positives = 0;
    double rankSum = 0;
    for (int k = 0; k < n; k++) {
      if (label[k] == 1) {
        positives++;
        rankSum += rank[k];
      }
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return 0.5;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** Mean binary cross-entropy, probabilities clipped to [EPS, 1 − EPS]. */
  public static double logLoss(double[] p, int[] label) {
    check(p.length, label.length);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
      sum += label[i] == 1 ? -Math.log(q) : -Math.log(1 - q);
    }
    return sum / p.length;
  }

  /** Mean squared difference between probability and outcome. */
  public static double brier(double[] p, int[] label) {
    check(p.length, label.length);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double d = p[i] - label[i];
      sum += d * d;
    }
    return sum / p.length;
  }

  /** Share of rows where (p &gt; 0.5) equals the label. */
  public static double accuracy(double[] p, int[] label) {
    check(p.length, label.length);
    int right = 0;
    for (int i = 0; i < p.length; i++) {
      right += (p[i] > 0.5 ? 1 : 0) == label[i] ? 1 : 0;
    }
    return (double) right / p.length;
  }

  /** Mean absolute error. */
  public static double mae(double[] predicted, double[] actual) {
    check(predicted.length, actual.length);
    double sum = 0;
    for (int i = 0; i < predicted.length; i++) {
      sum += Math.abs(predicted[i] - actual[i]);
    }
    return sum / predicted.length;
  }

  /** Root mean squared error. */
  public static double rmse(double[] predicted, double[] actual) {
    check(predicted.length, actual.length);
    double sum = 0;
    for (int i = 0; i < predicted.length; i++) {
      double d = predicted[i] - actual[i];
      sum += d * d;
    }
    return Math.sqrt(sum / predicted.length);
  }

  /**
   * Share of rows where (predicted &gt; 0) equals (actual &gt; 0): a zero forecast says "not up".
   */
  public static double directionalAccuracy(double[] predicted, double[] actual) {
    check(predicted.length, actual.length);
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += (predicted[i] > 0) == (actual[i] > 0) ? 1 : 0;
    }
    return (double) right / predicted.length;
  }

  private static void check(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException(
          "predictions and labels differ in length: " + a + " vs " + b);
    }
    if (a == 0) {
      throw new IllegalArgumentException("no rows to evaluate: a metric needs at least one row");
    }
  }
}

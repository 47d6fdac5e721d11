package dev.ticklake.transforms.training;

import java.util.List;
import java.util.Map;

/**
 * The out-of-sample result of a walk-forward and the final model.
 *
 * @param folds each fold's ranges, model metrics and baseline metrics
 * @param oos model metrics over every fold's test rows pooled
 * @param baselines each baseline's metrics over the same rows
 * @param model the final model, trained on every step (its validation slice cut from the end)
 * @param importance the final model's normalised total gain per feature
 * @param rowsTrained rows the final model was trained on
 * @param trainFrom first bar start trained on (µs); {@code trainTo} the last bar start in the
 *     training data, validation included
 * @param dropped rows left out of the dataset, by reason
 */
public record Evaluation(
    ModelKind kind,
    List<FoldResult> folds,
    Map<String, Double> oos,
    Map<String, Map<String, Double>> baselines,
    XgbModel model,
    Map<String, Double> importance,
    long rowsTrained,
    long trainFrom,
    long trainTo,
    Map<String, Long> dropped) {

  /** One fold: its ranges in time steps and bar starts, and its metrics. */
  public record FoldResult(
      WalkForward.Fold fold,
      long testFromMicros,
      long testToMicros,
      int rounds,
      Map<String, Double> metrics,
      Map<String, Map<String, Double>> baselines) {}

  /** The headline metric of {@code kind}: AUC (higher is better) or RMSE (lower is better). */
  public static String headline(ModelKind kind) {
    return kind == ModelKind.DIRECTION ? "auc" : "rmse";
  }

  /** True when {@code a} is strictly better than {@code b} on the headline metric. */
  public static boolean better(ModelKind kind, double a, double b) {
    return kind == ModelKind.DIRECTION ? a > b : a < b;
  }

  /** The best baseline's headline value. */
  public double bestBaseline() {
    String m = headline(kind);
    return baselines.values().stream()
        .mapToDouble(v -> v.get(m))
        .reduce((a, b) -> better(kind, a, b) ? a : b)
        .orElseThrow();
  }
}

package dev.ticklake.transforms.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains and evaluates one model kind walk-forward ({@link WalkForward}): per fold, XGBoost is
 * trained on the rows before the validation slice, early-stopped on the slice, and evaluated on the
 * test block after the purge gap, beside the {@link Baselines} fitted on the same training rows.
 * Metrics are pooled over all test rows; then the final model is trained on all the data the same
 * way. Everything is deterministic for a given dataset and {@link XgbParams#seed()}.
 */
public final class WalkForwardEvaluation {
  private WalkForwardEvaluation() {}

  /**
   * Evaluates {@code kind} on {@code data}.
   *
   * @throws NotEnoughDataException if the data has too few time steps for the folds, or a fold has
   *     no rows to train, validate or test on
   * @throws IllegalArgumentException if the purge gap is shorter than the label horizon
   */
  public static Evaluation run(
      ModelKind kind, Dataset data, WalkForward walkForward, XgbParams params, int labelHorizon) {
    if (walkForward.purgeGap() < labelHorizon) {
      throw new IllegalArgumentException(
          "purge gap "
              + walkForward.purgeGap()
              + " is shorter than the label horizon "
              + labelHorizon
              + ": training labels would overlap the test period; use --purgeGap="
              + labelHorizon
              + " or more");
    }
    List<WalkForward.Fold> folds = walkForward.split(data.steps());
    List<Evaluation.FoldResult> results = new ArrayList<>();
    List<Integer> pooledRows = new ArrayList<>();
    List<Double> pooledModel = new ArrayList<>();
    Map<String, List<Double>> pooledBaselines = new LinkedHashMap<>();
    for (WalkForward.Fold f : folds) {
      int[] train = data.rowsInSteps(f.trainFrom(), f.trainTo());
      int[] validation = data.rowsInSteps(f.validationFrom(), f.validationTo());
      int[] test = data.rowsInSteps(f.testFrom(), f.testTo());
      if (test.length == 0) {
        throw new NotEnoughDataException("fold " + f.index() + " has no test rows");
      }
      XgbModel model = XgbModel.train(kind, data, train, validation, params);
      double[] predicted = model.predict(data, test);
      Map<String, double[]> baseline = Baselines.predict(kind, data, train, test);
      Map<String, Map<String, Double>> baselineMetrics = new LinkedHashMap<>();
      baseline.forEach((name, p) -> baselineMetrics.put(name, metrics(kind, data, test, p)));
      results.add(
          new Evaluation.FoldResult(
              f,
              data.timeOf(f.testFrom()),
              data.timeOf(f.testTo() - 1),
              model.rounds(),
              metrics(kind, data, test, predicted),
              baselineMetrics));
      for (int k = 0; k < test.length; k++) {
        pooledRows.add(test[k]);
        pooledModel.add(predicted[k]);
      }
      baseline.forEach(
          (name, p) -> {
            List<Double> l = pooledBaselines.computeIfAbsent(name, n -> new ArrayList<>());
            for (double x : p) {
              l.add(x);
            }
          });
    }
    int[] rows = pooledRows.stream().mapToInt(Integer::intValue).toArray();
    Map<String, Map<String, Double>> baselineOos = new LinkedHashMap<>();
    pooledBaselines.forEach(
        (name, p) -> baselineOos.put(name, metrics(kind, data, rows, unbox(p))));

    WalkForward.Fold last = walkForward.finalWindow(data.steps());
    int[] train = data.rowsInSteps(last.trainFrom(), last.trainTo());
    int[] validation = data.rowsInSteps(last.validationFrom(), last.validationTo());
    XgbModel model = XgbModel.train(kind, data, train, validation, params);
    return new Evaluation(
        kind,
        List.copyOf(results),
        metrics(kind, data, rows, unbox(pooledModel)),
        baselineOos,
        model,
        model.importance(data.featureNames()),
        train.length,
        data.timeOf(last.trainFrom()),
        data.timeOf(last.validationTo() - 1),
        data.dropped());
  }

  /** The metrics of {@code kind} for predictions {@code p} of rows {@code rows}. */
  static Map<String, Double> metrics(ModelKind kind, Dataset data, int[] rows, double[] p) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (kind == ModelKind.DIRECTION) {
      int[] y = data.up(rows);
      m.put("auc", Metrics.auc(p, y));
      m.put("accuracy", Metrics.accuracy(p, y));
      m.put("log_loss", Metrics.logLoss(p, y));
      m.put("brier", Metrics.brier(p, y));
    } else {
      double[] y = data.nextReturn(rows);
      m.put("mae", Metrics.mae(p, y));
      m.put("rmse", Metrics.rmse(p, y));
      m.put("directional_accuracy", Metrics.directionalAccuracy(p, y));
    }
    m.put("rows", (double) rows.length);
    return m;
  }

  private static double[] unbox(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

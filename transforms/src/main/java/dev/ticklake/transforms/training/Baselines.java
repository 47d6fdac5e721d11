package dev.ticklake.transforms.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The simple rules every model is reported beside, fitted on a fold's training rows only and
 * evaluated on its test rows.
 *
 * <ul>
 *   <li>Direction: {@code majority} (P(up) = the training rows' up rate, a constant: AUC 0.5);
 *       {@code yesterday} (P(up) = the training up rate among rows whose own bar was up, or not up,
 *       as the row's {@code ret_1}); {@code sma_crossover} (the same with SMA20 &gt; SMA50, i.e.
 *       {@code close_sma_50 > close_sma_20}). Rates are Laplace-smoothed.
 *   <li>Return: {@code zero} (predict 0) and {@code last_return} (predict {@code ret_1}).
 * </ul>
 */
public final class Baselines {
  private Baselines() {}

  /** Baseline names of {@code kind}, in report order. */
  public static java.util.List<String> names(ModelKind kind) {
    return kind == ModelKind.DIRECTION
        ? java.util.List.of("majority", "yesterday", "sma_crossover")
        : java.util.List.of("zero", "last_return");
  }

  /** Each baseline's predictions for {@code test}, fitted on {@code train}. */
  public static Map<String, double[]> predict(
      ModelKind kind, Dataset data, int[] train, int[] test) {
    Map<String, double[]> out = new LinkedHashMap<>();
    if (kind == ModelKind.DIRECTION) {
      out.put("majority", conditional(data, train, test, i -> true));
      out.put("yesterday", conditional(data, train, test, i -> data.feature(i, "ret_1") > 0));
      out.put(
          "sma_crossover",
          conditional(
              data,
              train,
              test,
              i -> data.feature(i, "close_sma_50") > data.feature(i, "close_sma_20")));
    } else {
      out.put("zero", new double[test.length]);
      double[] last = new double[test.length];
      for (int k = 0; k < test.length; k++) {
        last[k] = data.feature(test[k], "ret_1");
      }
      out.put("last_return", last);
    }
    return out;
  }

  /** P(up | condition) and P(up | not condition) from the training rows, applied to the test. */
  private static double[] conditional(Dataset data, int[] train, int[] test, IntPredicate when) {
    double[] ups = new double[2];
    double[] counts = new double[2];
    for (int i : train) {
      int g = when.test(i) ? 1 : 0;
      counts[g]++;
      ups[g] += data.row(i).labelUp();
    }
    double[] rate = {(ups[0] + 1) / (counts[0] + 2), (ups[1] + 1) / (counts[1] + 2)};
    double[] p = new double[test.length];
    for (int k = 0; k < test.length; k++) {
      p[k] = rate[when.test(test[k]) ? 1 : 0];
    }
    return p;
  }
}

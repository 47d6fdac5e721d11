package dev.ticklake.transforms.training;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XGBoost settings. Training is single-threaded ({@code nthread = 1}) with the {@code hist} tree
 * method and a fixed seed, so that the same data and seed give the same booster bytes.
 *
 * @param maxRounds boosting rounds before early stopping
 * @param earlyStoppingRounds rounds without improvement on the validation slice that stop training
 */
public record XgbParams(
    double eta,
    int maxDepth,
    double subsample,
    double colsampleByTree,
    double minChildWeight,
    double lambda,
    int maxRounds,
    int earlyStoppingRounds,
    long seed)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Conservative defaults for noisy financial labels: shallow trees, slow learning. */
  public static XgbParams defaults(long seed) {
    return new XgbParams(0.05, 3, 0.8, 0.8, 5, 1.0, 300, 20, seed);
  }

  public XgbParams {
    if (!(eta > 0 && eta <= 1) || maxDepth < 1 || maxRounds < 1 || earlyStoppingRounds < 1) {
      throw new IllegalArgumentException(
          "invalid XGBoost params: eta in (0, 1], maxDepth >= 1, maxRounds >= 1,"
              + " earlyStoppingRounds >= 1 required, got "
              + this);
    }
  }

  /** The booster parameters for {@code kind}. */
  Map<String, Object> booster(ModelKind kind) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", kind.objective());
    p.put("eval_metric", kind.evalMetric());
    p.put("eta", eta);
    p.put("max_depth", maxDepth);
    p.put("subsample", subsample);
    p.put("colsample_bytree", colsampleByTree);
    p.put("min_child_weight", minChildWeight);
    p.put("lambda", lambda);
    p.put("tree_method", "hist");
    p.put("nthread", 1);
    p.put("seed", seed);
    p.put("verbosity", 0);
    // xgboost4j prints every round's validation metric to stdout unless "silent" is set
    p.put("silent", 1);
    return p;
  }
}

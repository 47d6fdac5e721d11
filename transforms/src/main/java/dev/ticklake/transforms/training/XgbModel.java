package dev.ticklake.transforms.training;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained XGBoost model as bytes (UBJSON) plus the number of trees to use: what the registry
 * stores and what scoring loads. Predictions from {@link #load} of the bytes are bit-identical to
 * those of the model that was trained.
 *
 * @param booster the model bytes ({@code Booster.toByteArray("ubj")})
 * @param rounds trees used when predicting: the best iteration on the validation slice + 1
 */
public record XgbModel(ModelKind kind, byte[] booster, int rounds) implements java.io.Serializable {

  /**
   * Trains on {@code train}, early-stopping on {@code validation} (rows of {@code data}).
   *
   * @throws IllegalArgumentException if {@code train} or {@code validation} is empty
   */
  public static XgbModel train(
      ModelKind kind, Dataset data, int[] train, int[] validation, XgbParams params) {
    if (train.length == 0 || validation.length == 0) {
      throw new NotEnoughDataException(
          "cannot train: "
              + train.length
              + " training and "
              + validation.length
              + " validation rows");
    }
    DMatrix dtrain = null;
    DMatrix dval = null;
    Booster booster = null;
    try {
      dtrain = matrix(kind, data, train);
      dval = matrix(kind, data, validation);
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      watches.put("validation", dval);
      float[][] history = new float[1][params.maxRounds()];
      booster =
          XGBoost.train(
              dtrain,
              params.booster(kind),
              params.maxRounds(),
              watches,
              history,
              null,
              null,
              params.earlyStoppingRounds());
      String best = booster.getAttr("best_iteration");
      int rounds = best == null ? booster.getNumBoostedRound() : Integer.parseInt(best) + 1;
      return new XgbModel(kind, booster.toByteArray("ubj"), rounds);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    } finally {
      dispose(dtrain, dval, booster);
    }
  }

  /** Predictions for rows {@code rows} of {@code data}: P(up) or the next log return. */
  public double[] predict(Dataset data, int[] rows) {
    return predict(data.matrix(rows), rows.length, data.featureNames().size());
  }

  /**
   * Predictions for a row-major matrix of {@code n} rows and {@code d} features (NaN = missing).
   */
  public double[] predict(float[] matrix, int n, int d) {
    if (n == 0) {
      return new double[0];
    }
    Booster b = null;
    DMatrix m = null;
    try {
      b = XGBoost.loadModel(booster);
      m = new DMatrix(matrix, n, d, Float.NaN);
      float[][] out = b.predict(m, false, rounds);
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = out[i][0];
      }
      return p;
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    } finally {
      dispose(m, null, b);
    }
  }

  /** Total gain of each feature normalised to sum 1 (features never split on: 0), in name order. */
  public Map<String, Double> importance(List<String> featureNames) {
    Booster b = null;
    try {
      b = XGBoost.loadModel(booster);
      Map<String, Double> gain = new HashMap<>();
      try {
        gain = b.getScore(featureNames.toArray(new String[0]), "total_gain");
      } catch (XGBoostError e) {
        // a model of a single leaf (nothing learnt) has no split: every importance is 0
      }
      double total = gain.values().stream().mapToDouble(Double::doubleValue).sum();
      Map<String, Double> out = new LinkedHashMap<>();
      for (String f : featureNames) {
        double g = gain.getOrDefault(f, 0.0);
        out.put(f, total > 0 ? g / total : 0.0);
      }
      return out;
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("cannot read the model's importance: " + e.getMessage(), e);
    } finally {
      dispose(null, null, b);
    }
  }

  private static DMatrix matrix(ModelKind kind, Dataset data, int[] rows) throws XGBoostError {
    DMatrix m = new DMatrix(data.matrix(rows), rows.length, data.featureNames().size(), Float.NaN);
    float[] label = new float[rows.length];
    if (kind == ModelKind.DIRECTION) {
      int[] up = data.up(rows);
      for (int i = 0; i < rows.length; i++) {
        label[i] = up[i];
      }
    } else {
      double[] r = data.nextReturn(rows);
      for (int i = 0; i < rows.length; i++) {
        label[i] = (float) r[i];
      }
    }
    m.setLabel(label);
    return m;
  }

  private static void dispose(DMatrix a, DMatrix b, Booster booster) {
    if (a != null) {
      a.dispose();
    }
    if (b != null) {
      b.dispose();
    }
    if (booster != null) {
      booster.dispose();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XgbModel m
        && kind == m.kind
        && rounds == m.rounds
        && java.util.Arrays.equals(booster, m.booster);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(booster) * 31 + rounds;
  }

  @Override
  public String toString() {
    return "XgbModel[" + kind + ", " + booster.length + " bytes, " + rounds + " rounds]";
  }
}

package dev.ticklake.transforms.backtest;

import dev.ticklake.transforms.features.FeatureSchema;

/**
 * The Q-learning trader's market state of a bar, from three of its features: the sign of its own
 * return ({@code ret_1} &gt; 0), RSI below 30 / between / above 70, and close above or below its
 * 20-bar SMA: 2 × 3 × 2 = {@value #STATES} states. An undefined feature counts as its neutral
 * bucket (not up, middle RSI, below the SMA).
 */
public final class StateEncoder {
  public static final int STATES = 12;

  private static final int RET_1 = FeatureSchema.indexOf("ret_1");
  private static final int RSI = FeatureSchema.indexOf("rsi_14");
  private static final int CLOSE_SMA_20 = FeatureSchema.indexOf("close_sma_20");

  private StateEncoder() {}

  /** The state of a feature vector ({@link FeatureSchema#NAMES} order). */
  public static int encode(double[] features) {
    int up = features[RET_1] > 0 ? 1 : 0;
    double rsi = features[RSI];
    int rsiBucket = rsi < 30 ? 0 : rsi > 70 ? 2 : 1; // NaN compares false: middle
    int aboveSma = features[CLOSE_SMA_20] > 0 ? 1 : 0;
    return (up * 3 + rsiBucket) * 2 + aboveSma;
  }
}

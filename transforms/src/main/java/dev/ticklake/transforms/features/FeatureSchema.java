package dev.ticklake.transforms.features;

import java.util.List;

/**
 * The model features of {@code gold/features}, in the order of every feature vector (training,
 * scoring, importance), and the label columns. See {@link FeatureCalculator} for the definitions.
 */
public final class FeatureSchema {
  private FeatureSchema() {}

  /** Feature column names, in vector order. */
  public static final List<String> NAMES =
      List.of(
          "ret_1",
          "ret_2",
          "ret_3",
          "ret_4",
          "ret_5",
          "close_sma_20",
          "close_sma_50",
          "ema_spread",
          "rsi_14",
          "macd_hist",
          "bb_pct_b",
          "bb_width",
          "atr_rel",
          "volatility_20",
          "volume_z",
          "obv_slope_5",
          "day_of_week",
          "month",
          "minute_of_day");

  /** 1 if the next bar closes higher than this one, else 0; null for the latest bar. */
  public static final String LABEL_UP = "label_up_next";

  /** ln(next close / close); null for the latest bar. */
  public static final String LABEL_RETURN = "label_return_next";

  /** The next bar's close; null for the latest bar. */
  public static final String LABEL_CLOSE = "label_close_next";

  /** The horizon of every label, in bars: the purge gap of a walk-forward is at least this. */
  public static final int LABEL_HORIZON_BARS = 1;

  /** The index of feature {@code name} in a vector. */
  public static int indexOf(String name) {
    int i = NAMES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown feature '" + name + "' (known: " + NAMES + ")");
    }
    return i;
  }
}

package dev.ticklake.transforms.training;

/** What a model predicts. */
public enum ModelKind {
  /** Probability that the next bar closes higher (binary:logistic). */
  DIRECTION("direction", "binary:logistic", "logloss"),
  /** Next-bar log return (reg:squarederror). */
  RETURN("return", "reg:squarederror", "rmse");

  private final String label;
  private final String objective;
  private final String evalMetric;

  ModelKind(String label, String objective, String evalMetric) {
    this.label = label;
    this.objective = objective;
    this.evalMetric = evalMetric;
  }

  /** The {@code kind} column value. */
  public String label() {
    return label;
  }

  String objective() {
    return objective;
  }

  String evalMetric() {
    return evalMetric;
  }

  /** The kind whose label is {@code label}. */
  public static ModelKind of(String label) {
    for (ModelKind k : values()) {
      if (k.label.equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown model kind '" + label + "' (direction, return)");
  }
}

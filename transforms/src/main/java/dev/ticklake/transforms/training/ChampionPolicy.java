package dev.ticklake.transforms.training;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whether a newly trained model becomes the champion (the model that scores new bars): only when,
 * out of sample, it beats both the current champion and the best baseline on the headline metric
 * (AUC for direction, RMSE for return) and its result is not implausibly good.
 *
 * <p>Implausibly good: next-bar direction of liquid prices is close to a coin toss, so an
 * out-of-sample AUC or directional accuracy above {@link #LEAK_THRESHOLD} almost always means a
 * feature sees the future. Such a model is registered with the reason and never made champion.
 */
public final class ChampionPolicy {
  /**
   * Out-of-sample AUC (direction) or directional accuracy (return) above which a leak is suspected.
   */
  public static final double LEAK_THRESHOLD = 0.65;

  private ChampionPolicy() {}

  /** The decision and why. */
  public record Decision(boolean champion, String reason) {}

  /** The leak suspicion of {@code e}, if any, as a message. */
  public static Optional<String> suspectedLeak(Evaluation e) {
    String metric = e.kind() == ModelKind.DIRECTION ? "auc" : "directional_accuracy";
    double value = e.oos().get(metric);
    if (value > LEAK_THRESHOLD) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "suspected leak: out-of-sample %s %.4f > %.2f is implausible for next-bar %s;"
                  + " check that every feature uses bars up to t only",
              metric,
              value,
              LEAK_THRESHOLD,
              e.kind().label()));
    }
    return Optional.empty();
  }

  /**
   * Decides for {@code e} against the current champion's out-of-sample headline value (empty when
   * there is none).
   */
  public static Decision decide(Evaluation e, OptionalDouble championHeadline) {
    String metric = Evaluation.headline(e.kind());
    double value = e.oos().get(metric);
    Optional<String> leak = suspectedLeak(e);
    if (leak.isPresent()) {
      return new Decision(false, leak.get());
    }
    double baseline = e.bestBaseline();
    if (!Evaluation.better(e.kind(), value, baseline)) {
      return new Decision(
          false,
          String.format(
              Locale.ROOT,
              "%s %.6f does not beat the best baseline (%.6f)",
              metric,
              value,
              baseline));
    }
    if (championHeadline.isPresent()
        && !Evaluation.better(e.kind(), value, championHeadline.getAsDouble())) {
      return new Decision(
          false,
          String.format(
              Locale.ROOT,
              "%s %.6f does not beat the champion (%.6f)",
              metric,
              value,
              championHeadline.getAsDouble()));
    }
    return new Decision(
        true,
        String.format(
            Locale.ROOT,
            "%s %.6f beats the best baseline (%.6f)%s",
            metric,
            value,
            baseline,
            championHeadline.isPresent()
                ? String.format(
                    Locale.ROOT, " and the champion (%.6f)", championHeadline.getAsDouble())
                : " (no champion before)"));
  }
}

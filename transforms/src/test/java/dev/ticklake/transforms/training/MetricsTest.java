package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Every expected value is computed by hand in the comment next to it. */
class MetricsTest {
  @Test
  void aucCountsConcordantPairsWithTiesAsHalf() {
    // positives score 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4)=1, (0.8>0.1)=1,
    // (0.4=0.4)=0.5, (0.4>0.1)=1 -> 3.5 / 4
    assertThat(Metrics.auc(new double[] {0.8, 0.4, 0.4, 0.1}, new int[] {1, 1, 0, 0}))
        .isEqualTo(0.875);
    assertThat(Metrics.auc(new double[] {0.1, 0.9}, new int[] {1, 0})).isEqualTo(0.0);
    assertThat(Metrics.auc(new double[] {0.3, 0.3, 0.3}, new int[] {1, 0, 1})).isEqualTo(0.5);
    assertThat(Metrics.auc(new double[] {0.3, 0.7}, new int[] {1, 1})).isEqualTo(0.5);
  }

  @Test
  void logLossBrierAccuracy() {
    double[] p = {0.9, 0.2, 0.6};
    int[] y = {1, 0, 0};
    // -(ln 0.9 + ln 0.8 + ln 0.4) / 3
    assertThat(Metrics.logLoss(p, y))
        .isCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3, within(1e-15));
    // (0.01 + 0.04 + 0.36) / 3
    assertThat(Metrics.brier(p, y)).isCloseTo(0.41 / 3, within(1e-15));
    assertThat(Metrics.accuracy(p, y)).isEqualTo(2.0 / 3);
    // a certain wrong answer is clipped, not infinite: -ln(1e-15)
    assertThat(Metrics.logLoss(new double[] {0.0}, new int[] {1}))
        .isCloseTo(34.538776, within(1e-6));
  }

  @Test
  void regressionMetrics() {
    double[] predicted = {0.01, -0.02, 0.0};
    double[] actual = {0.03, -0.01, -0.01};
    assertThat(Metrics.mae(predicted, actual)).isCloseTo(0.04 / 3, within(1e-15));
    assertThat(Metrics.rmse(predicted, actual))
        .isCloseTo(Math.sqrt((0.0004 + 0.0001 + 0.0001) / 3), within(1e-15));
    // signs: (+,+) right, (-,-) right, (0 -> not up, - -> not up) right
    assertThat(Metrics.directionalAccuracy(predicted, actual)).isEqualTo(1.0);
  }

  @Test
  void badInputIsRejectedWithAMessage() {
    assertThatThrownBy(() -> Metrics.auc(new double[0], new int[0]))
        .hasMessageContaining("no rows to evaluate");
    assertThatThrownBy(() -> Metrics.rmse(new double[1], new double[2]))
        .hasMessageContaining("differ in length: 1 vs 2");
  }
}

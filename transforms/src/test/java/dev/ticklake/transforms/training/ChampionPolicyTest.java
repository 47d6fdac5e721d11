package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ChampionPolicyTest {
  private static Evaluation direction(double auc, double bestBaselineAuc) {
    return new Evaluation(
        ModelKind.DIRECTION,
        List.of(),
        Map.of("auc", auc),
        Map.of("majority", Map.of("auc", 0.5), "yesterday", Map.of("auc", bestBaselineAuc)),
        null,
        Map.of(),
        0,
        0,
        0,
        Map.of());
  }

  private static Evaluation returns(double rmse, double directional, double zeroRmse) {
    return new Evaluation(
        ModelKind.RETURN,
        List.of(),
        Map.of("rmse", rmse, "directional_accuracy", directional),
        Map.of("zero", Map.of("rmse", zeroRmse), "last_return", Map.of("rmse", zeroRmse * 1.4)),
        null,
        Map.of(),
        0,
        0,
        0,
        Map.of());
  }

  @Test
  void aModelMustBeatTheBestBaselineAndTheChampion() {
    assertThat(ChampionPolicy.decide(direction(0.53, 0.52), OptionalDouble.empty()))
        .isEqualTo(
            new ChampionPolicy.Decision(
                true, "auc 0.530000 beats the best baseline (0.520000) (no champion before)"));
    assertThat(ChampionPolicy.decide(direction(0.53, 0.52), OptionalDouble.of(0.54)))
        .isEqualTo(
            new ChampionPolicy.Decision(
                false, "auc 0.530000 does not beat the champion (0.540000)"));
    assertThat(ChampionPolicy.decide(direction(0.53, 0.52), OptionalDouble.of(0.525)).champion())
        .isTrue();
    assertThat(ChampionPolicy.decide(direction(0.51, 0.52), OptionalDouble.empty()))
        .isEqualTo(
            new ChampionPolicy.Decision(
                false, "auc 0.510000 does not beat the best baseline (0.520000)"));
  }

  @Test
  void lowerRmseWinsForTheReturnModel() {
    assertThat(
            ChampionPolicy.decide(returns(0.0099, 0.51, 0.0100), OptionalDouble.empty()).champion())
        .isTrue();
    assertThat(
            ChampionPolicy.decide(returns(0.0101, 0.51, 0.0100), OptionalDouble.empty()).champion())
        .isFalse();
  }

  @Test
  void anImplausiblyGoodModelIsFlaggedAndNeverChampion() {
    ChampionPolicy.Decision d =
        ChampionPolicy.decide(direction(0.97, 0.52), OptionalDouble.empty());
    assertThat(d.champion()).isFalse();
    assertThat(d.reason()).startsWith("suspected leak: out-of-sample auc 0.9700 > 0.65");
    assertThat(ChampionPolicy.suspectedLeak(returns(0.001, 0.9, 0.01))).isPresent();
  }
}

package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeterminismTest {
  @Test
  void sameDataAndSeedGiveTheSameBoosterBytesAndMetrics() {
    Dataset data = Dataset.of(TrainingData.randomWalk(2, 400, 9));
    WalkForward wf = new WalkForward(3, WalkForward.Mode.EXPANDING, 0, 1, 100, 0.2);
    Evaluation a =
        WalkForwardEvaluation.run(ModelKind.DIRECTION, data, wf, XgbParams.defaults(7), 1);
    Evaluation b =
        WalkForwardEvaluation.run(ModelKind.DIRECTION, data, wf, XgbParams.defaults(7), 1);
    assertThat(b.model().booster()).isEqualTo(a.model().booster());
    assertThat(b.model().rounds()).isEqualTo(a.model().rounds());
    assertThat(b.oos()).isEqualTo(a.oos());
    assertThat(b.folds()).isEqualTo(a.folds());
    assertThat(b.importance()).isEqualTo(a.importance());
    // another seed samples other rows and columns: other trees
    Evaluation c =
        WalkForwardEvaluation.run(ModelKind.DIRECTION, data, wf, XgbParams.defaults(8), 1);
    assertThat(c.model().booster()).isNotEqualTo(a.model().booster());
  }

  @Test
  void storedBytesReproduceThePredictionsBitForBit() throws Exception {
    Dataset data = Dataset.of(TrainingData.randomWalk(2, 300, 3));
    int[] train = data.rowsInSteps(0, 150);
    int[] validation = data.rowsInSteps(151, 200);
    int[] test = data.rowsInSteps(201, data.steps());
    XgbModel model =
        XgbModel.train(ModelKind.RETURN, data, train, validation, XgbParams.defaults(1));
    double[] before = model.predict(data, test);
    XgbModel reloaded = new XgbModel(ModelKind.RETURN, model.booster().clone(), model.rounds());
    double[] after = reloaded.predict(data, test);
    for (int i = 0; i < before.length; i++) {
      assertThat(Double.doubleToRawLongBits(after[i]))
          .isEqualTo(Double.doubleToRawLongBits(before[i]));
    }
  }
}

package dev.ticklake.transforms.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WalkForwardTest {
  @Test
  void expandingFoldsKeepThePurgeGapBetweenTrainValidationAndTest() {
    // T = 100, min train 20, purge 2, 4 folds: test size (100 - 20 - 2) / 4 = 19
    WalkForward wf = new WalkForward(4, WalkForward.Mode.EXPANDING, 0, 2, 20, 0.25);
    List<WalkForward.Fold> folds = wf.split(100);
    // fold 0: test [24, 43); window [0, 22): validation ceil(22 * 0.25) = 6 -> [16, 22),
    // train [0, 14)
    assertThat(folds)
        .containsExactly(
            new WalkForward.Fold(0, 0, 14, 16, 22, 24, 43),
            new WalkForward.Fold(1, 0, 28, 30, 41, 43, 62),
            new WalkForward.Fold(2, 0, 43, 45, 60, 62, 81),
            new WalkForward.Fold(3, 0, 57, 59, 79, 81, 100));
    for (WalkForward.Fold f : folds) {
      assertThat(f.validationFrom() - f.trainTo()).isEqualTo(2);
      assertThat(f.testFrom() - f.validationTo()).isEqualTo(2);
    }
  }

  @Test
  void rollingWindowsHaveAFixedLength() {
    WalkForward wf = new WalkForward(2, WalkForward.Mode.ROLLING, 30, 1, 40, 0.2);
    // test size (100 - 40 - 1) / 2 = 29: tests [42, 71), [71, 100); windows [11, 41), [40, 70)
    assertThat(wf.split(100))
        .containsExactly(
            new WalkForward.Fold(0, 11, 34, 35, 41, 42, 71),
            new WalkForward.Fold(1, 40, 63, 64, 70, 71, 100));
  }

  @Test
  void theFinalWindowEndsWithTheData() {
    WalkForward wf = new WalkForward(4, WalkForward.Mode.EXPANDING, 0, 2, 20, 0.25);
    // window [0, 100): validation 25 -> [75, 100), train [0, 73)
    assertThat(wf.finalWindow(100)).isEqualTo(new WalkForward.Fold(-1, 0, 73, 75, 100, 102, 102));
  }

  @Test
  void tooFewStepsIsAClearSkipReason() {
    WalkForward wf = WalkForward.expanding(5, 1);
    assertThat(wf.minSteps()).isEqualTo(66);
    assertThatThrownBy(() -> wf.split(65))
        .isInstanceOf(NotEnoughDataException.class)
        .hasMessageContaining("at least 66 time steps")
        .hasMessageContaining("the data has 65");
    assertThat(wf.split(66)).hasSize(5);
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> new WalkForward(0, WalkForward.Mode.EXPANDING, 0, 1, 60, 0.2))
        .hasMessageContaining("folds must be >= 1");
    assertThatThrownBy(() -> new WalkForward(5, WalkForward.Mode.EXPANDING, 0, 1, 60, 0.9))
        .hasMessageContaining("validationFraction");
  }
}

package dev.ticklake.transforms.training;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Walk-forward splits over T ordered time steps (distinct bar starts; every row of a time step is
 * on the same side). Each fold's test block comes after its training window with a purge gap of
 * {@code purgeGap} steps between them, and the validation slice used for early stopping is the end
 * of the training window, itself separated from the rows trained on by the same gap, so that no
 * row's label (horizon {@code ≤ purgeGap} steps) overlaps a later slice.
 *
 * <p>The last {@code folds} blocks of {@code testSize = (T − minTrainSteps − purgeGap) / folds}
 * steps are the test blocks (the last block also takes the remainder). The training window is every
 * step before {@code testFrom − purgeGap} ({@link Mode#EXPANDING}) or the last {@code
 * rollingWindow} of them ({@link Mode#ROLLING}).
 *
 * @param folds number of test blocks (≥ 1)
 * @param mode expanding or rolling training window
 * @param rollingWindow steps in a rolling window (ignored when expanding)
 * @param purgeGap steps dropped between train and validation, and between validation and test; must
 *     be ≥ the label horizon
 * @param minTrainSteps steps before the first test block (≥ 2·purgeGap + 2)
 * @param validationFraction share of a training window used as the validation slice (0–0.5)
 */
public record WalkForward(
    int folds,
    Mode mode,
    int rollingWindow,
    int purgeGap,
    int minTrainSteps,
    double validationFraction)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the training window grows. */
  public enum Mode {
    EXPANDING,
    ROLLING
  }

  /**
   * One fold: half-open step ranges {@code [from, to)}.
   *
   * @param trainFrom first step trained on
   * @param trainTo end of the rows trained on (exclusive)
   * @param validationFrom first step of the early-stopping slice
   * @param validationTo end of the slice (exclusive); {@code testFrom − purgeGap}
   * @param testFrom first test step
   * @param testTo end of the test block (exclusive)
   */
  public record Fold(
      int index,
      int trainFrom,
      int trainTo,
      int validationFrom,
      int validationTo,
      int testFrom,
      int testTo)
      implements Serializable {}

  public WalkForward {
    if (folds < 1) {
      throw new IllegalArgumentException("folds must be >= 1 but was " + folds);
    }
    if (purgeGap < 0) {
      throw new IllegalArgumentException("purgeGap must be >= 0 but was " + purgeGap);
    }
    if (!(validationFraction > 0 && validationFraction <= 0.5)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 0.5] but was " + validationFraction);
    }
    if (minTrainSteps < 2 * purgeGap + 2) {
      throw new IllegalArgumentException(
          "minTrainSteps must be >= 2 * purgeGap + 2 = "
              + (2 * purgeGap + 2)
              + " but was "
              + minTrainSteps);
    }
    if (mode == Mode.ROLLING && rollingWindow < 2 * purgeGap + 2) {
      throw new IllegalArgumentException(
          "rollingWindow must be >= 2 * purgeGap + 2 but was " + rollingWindow);
    }
  }

  /** Expanding window, 5 folds, purge gap {@code purgeGap}, 20% validation, 60 steps minimum. */
  public static WalkForward expanding(int folds, int purgeGap) {
    return new WalkForward(folds, Mode.EXPANDING, 0, purgeGap, Math.max(60, 2 * purgeGap + 2), 0.2);
  }

  /** The smallest number of time steps that gives every fold at least one test step. */
  public int minSteps() {
    return minTrainSteps + purgeGap + folds;
  }

  /**
   * The folds over {@code steps} time steps.
   *
   * @throws NotEnoughDataException if {@code steps < minSteps()}
   */
  public List<Fold> split(int steps) {
    if (steps < minSteps()) {
      throw new NotEnoughDataException(
          "walk-forward needs at least "
              + minSteps()
              + " time steps ("
              + minTrainSteps
              + " to train before the first test, a purge gap of "
              + purgeGap
              + ", one per fold for "
              + folds
              + " folds) but the data has "
              + steps
              + "; wait for more bars or lower --folds/--minTrainSteps");
    }
    int testSize = (steps - minTrainSteps - purgeGap) / folds;
    List<Fold> out = new ArrayList<>(folds);
    for (int i = 0; i < folds; i++) {
      int testFrom = steps - (folds - i) * testSize;
      int testTo = i == folds - 1 ? steps : testFrom + testSize;
      out.add(window(i, testFrom, testTo));
    }
    return out;
  }

  /**
   * The training and validation ranges of a model trained on every step before {@code end} (the
   * final model of a walk-forward: {@code end} = T), as a fold with an empty test block.
   */
  public Fold finalWindow(int end) {
    if (end < minTrainSteps) {
      throw new NotEnoughDataException(
          "training needs at least " + minTrainSteps + " time steps but the data has " + end);
    }
    return window(-1, end + purgeGap, end + purgeGap);
  }

  private Fold window(int index, int testFrom, int testTo) {
    int windowTo = testFrom - purgeGap;
    int windowFrom = mode == Mode.ROLLING ? Math.max(0, windowTo - rollingWindow) : 0;
    int length = windowTo - windowFrom;
    int validation = Math.max(1, (int) Math.ceil(length * validationFraction));
    int validationFrom = windowTo - validation;
    int trainTo = validationFrom - purgeGap;
    if (trainTo - windowFrom < 1) {
      throw new NotEnoughDataException(
          "fold " + index + " has no training rows left after the validation slice and purge gap");
    }
    return new Fold(index, windowFrom, trainTo, validationFrom, windowTo, testFrom, testTo);
  }
}

package dev.ticklake.transforms.backtest;

import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.training.Dataset;
import dev.ticklake.transforms.training.ModelKind;
import dev.ticklake.transforms.training.XgbModel;
import dev.ticklake.transforms.training.XgbParams;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * The backtest of one symbol as a Tablesaw frame: its bars (start, close, Q-learning state), then
 * one position and one equity column per strategy over the out-of-sample period.
 *
 * <p>The last {@code testFraction} of the bars are the out-of-sample period; every learner trains
 * on the bars before it only. Strategies: {@code buy_and_hold} (long throughout), {@code
 * q_learning}, and {@code xgboost_signal}: long when P(up) &gt; 0.5, else flat, from an XGBoost
 * direction model trained on this symbol's training bars (early-stopped on their last 20%, a purge
 * gap of one bar before the test period), so that its signal is out of sample too. (The registry's
 * final models are trained on every bar: they cannot be backtested honestly.)
 */
public final class SymbolBacktest {
  /** Fewer bars than this on either side of the split: the symbol is skipped. */
  public static final int MIN_BARS = 20;

  private SymbolBacktest() {}

  /** A strategy's result on the symbol. */
  public record Outcome(String strategy, Backtest.Result result) {}

  /** The out-of-sample frame (bars, positions and equity per strategy) and the outcomes. */
  public record Run(Table frame, List<Outcome> outcomes) {}

  /**
   * The frame and the outcomes of {@code rows} (one symbol, ascending bar start).
   *
   * @throws IllegalArgumentException if either side of the split has fewer than {@link #MIN_BARS}
   */
  public static Run run(
      List<FeatureRow> rows,
      double testFraction,
      XgbParams xgb,
      QLearningTrader.Settings settings) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1) but was " + testFraction);
    }
    int n = rows.size();
    int split = (int) Math.floor(n * (1 - testFraction));
    int testBars = n - split;
    if (split < MIN_BARS || testBars < MIN_BARS) {
      throw new IllegalArgumentException(
          "needs "
              + MIN_BARS
              + " bars before and after the split, has "
              + split
              + " and "
              + testBars);
    }
    Table frame =
        Table.create(
            rows.get(0).symbol(),
            LongColumn.create(
                "bar_start", rows.stream().mapToLong(FeatureRow::barStartMicros).toArray()),
            DoubleColumn.create("close", rows.stream().mapToDouble(FeatureRow::close).toArray()),
            IntColumn.create(
                "state", rows.stream().mapToInt(r -> StateEncoder.encode(r.features())).toArray()));
    double[] closes = frame.doubleColumn("close").asDoubleArray();
    int[] states = frame.intColumn("state").asIntArray();

    Table test = frame.inRange(split, n);
    double[] testCloses = java.util.Arrays.copyOfRange(closes, split, n);
    int positions = testBars - 1;
    List<Outcome> outcomes = new ArrayList<>();
    int[] hold = new int[positions];
    java.util.Arrays.fill(hold, 1);
    outcomes.add(
        new Outcome(
            "buy_and_hold",
            Backtest.run(testCloses, hold, settings.cost(), Backtest.DAILY_PERIODS)));

    QLearningTrader trader = new QLearningTrader(settings, StateEncoder.STATES);
    trader.train(
        java.util.Arrays.copyOfRange(states, 0, split),
        java.util.Arrays.copyOfRange(closes, 0, split + 1));
    int[] q = trader.act(java.util.Arrays.copyOfRange(states, split, n - 1));
    outcomes.add(
        new Outcome(
            "q_learning", Backtest.run(testCloses, q, settings.cost(), Backtest.DAILY_PERIODS)));

    XgbModel model = xgb == null ? null : signalModel(rows.subList(0, split - 1), xgb);
    if (model != null) {
      int d = rows.get(0).features().length;
      float[] m = new float[positions * d];
      for (int i = 0; i < positions; i++) {
        double[] f = rows.get(split + i).features();
        for (int j = 0; j < d; j++) {
          m[i * d + j] = (float) f[j];
        }
      }
      double[] p = model.predict(m, positions, d);
      int[] signal = new int[positions];
      for (int i = 0; i < positions; i++) {
        signal[i] = p[i] > 0.5 ? 1 : 0;
      }
      outcomes.add(
          new Outcome(
              "xgboost_signal",
              Backtest.run(testCloses, signal, settings.cost(), Backtest.DAILY_PERIODS)));
    }
    for (Outcome o : outcomes) {
      int[] pos = java.util.Arrays.copyOf(o.result().positions(), testBars);
      if (testBars > 1) {
        pos[testBars - 1] = pos[testBars - 2];
      }
      test.addColumns(
          IntColumn.create(o.strategy() + "_position", pos),
          DoubleColumn.create(o.strategy() + "_equity", o.result().equity()));
    }
    return new Run(test, List.copyOf(outcomes));
  }

  /** A direction model of the training rows (null when too few are usable to train one). */
  private static XgbModel signalModel(List<FeatureRow> trainRows, XgbParams xgb) {
    Dataset data = Dataset.of(trainRows);
    int steps = data.steps();
    int validationFrom = steps - Math.max(1, steps / 5);
    int[] train = data.rowsInSteps(0, validationFrom - 1);
    int[] validation = data.rowsInSteps(validationFrom, steps);
    if (train.length < MIN_BARS || validation.length == 0) {
      return null;
    }
    return XgbModel.train(ModelKind.DIRECTION, data, train, validation, xgb);
  }
}

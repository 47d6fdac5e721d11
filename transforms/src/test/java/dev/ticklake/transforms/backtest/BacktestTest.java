package dev.ticklake.transforms.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSeries;
import dev.ticklake.transforms.indicators.Bar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {
  @Test
  void equitySharpeAndDrawdownEqualTheHandComputedValues() {
    // long 100 -> 110 (+10%), flat 110 -> 99, long 99 -> 108.9 (+10%); 1% per position change
    Backtest.Result r =
        Backtest.run(new double[] {100, 110, 99, 108.9}, new int[] {1, 0, 1}, 0.01, 252);
    // step returns: 0.10 - 0.01 = 0.09; 0 - 0.01 = -0.01; 0.10 - 0.01 = 0.09
    assertThat(r.equity()[0]).isEqualTo(1.0);
    assertThat(r.equity()[1]).isCloseTo(1.09, within(1e-12));
    assertThat(r.equity()[2]).isCloseTo(1.0791, within(1e-12));
    assertThat(r.equity()[3]).isCloseTo(1.176219, within(1e-12));
    assertThat(r.totalReturn()).isCloseTo(0.176219, within(1e-12));
    // mean 0.17/3, deviations 1/30, -2/30, 1/30: sum of squares 6/900, sample variance 3/900
    double sharpe = (0.17 / 3) / Math.sqrt(3.0 / 900) * Math.sqrt(252);
    assertThat(r.sharpe()).isCloseTo(sharpe, within(1e-9));
    assertThat(r.sharpe()).isCloseTo(15.5808, within(1e-4));
    // peak 1.09, trough 1.0791: 0.0109 / 1.09
    assertThat(r.maxDrawdown()).isCloseTo(0.01, within(1e-12));
    assertThat(r.trades()).isEqualTo(3);
    assertThat(r.costsPaid()).isCloseTo(0.03, within(1e-15));
  }

  @Test
  void shortPositionsGainWhenPricesFall() {
    Backtest.Result r = Backtest.run(new double[] {100, 90, 81}, new int[] {-1, -1}, 0, 252);
    // +10% twice: 1.21; a constant step return has sd 0: Sharpe undefined
    assertThat(r.totalReturn()).isCloseTo(0.21, within(1e-12));
    assertThat(r.sharpe()).isNaN();
    assertThat(r.maxDrawdown()).isZero();
    assertThat(r.trades()).isEqualTo(1);
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> Backtest.run(new double[] {100, 101}, new int[] {1, 1}, 0, 252))
        .hasMessageContaining("one more close than positions");
    assertThatThrownBy(() -> Backtest.run(new double[] {100, 0}, new int[] {1}, 0, 252))
        .hasMessageContaining("finite and > 0");
    assertThatThrownBy(() -> Backtest.run(new double[] {100, 101}, new int[] {2}, 0, 252))
        .hasMessageContaining("-1, 0 or 1");
  }

  @Test
  void qLearningLearnsToStayLongOnATrendAndBeatsCash() {
    List<Bar> bars = new ArrayList<>();
    double close = 100;
    for (int i = 0; i < 300; i++) {
      double open = close;
      close = close * 1.005;
      bars.add(
          Bar.of(
              Instant.parse("2025-01-01T00:00:00Z").plusSeconds(86_400L * i),
              open,
              close,
              open,
              close,
              1000));
    }
    List<FeatureRow> rows = FeatureSeries.compute("UP", bars, true);
    int[] states = rows.stream().mapToInt(r -> StateEncoder.encode(r.features())).toArray();
    double[] closes = bars.stream().mapToDouble(Bar::close).toArray();
    QLearningTrader trader =
        new QLearningTrader(QLearningTrader.Settings.defaults(1), StateEncoder.STATES);
    trader.train(Arrays.copyOfRange(states, 0, 199), Arrays.copyOfRange(closes, 0, 200));
    int[] test = trader.act(Arrays.copyOfRange(states, 200, 299));
    assertThat(test).containsOnly(1);
    Backtest.Result r = Backtest.run(Arrays.copyOfRange(closes, 200, 300), test, 0.0005, 252);
    // long all the way: 99 steps of +0.5%, one entry cost
    assertThat(r.equity()[99])
        .isCloseTo(Math.pow(1.005, 99) * (1 + 0.005 - 0.0005) / 1.005, within(1e-9));
    assertThat(r.totalReturn()).isGreaterThan(0.0);
  }

  @Test
  void qLearningIsDeterministicForASeed() {
    int[] states = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1};
    double[] closes = {100, 101, 99, 102, 100, 103, 101, 104, 102, 105, 103};
    QLearningTrader a =
        new QLearningTrader(QLearningTrader.Settings.defaults(5), StateEncoder.STATES);
    QLearningTrader b =
        new QLearningTrader(QLearningTrader.Settings.defaults(5), StateEncoder.STATES);
    a.train(states, closes);
    b.train(states, closes);
    assertThat(a.table()).isDeepEqualTo(b.table());
    assertThat(a.act(states)).isEqualTo(b.act(states));
  }
}

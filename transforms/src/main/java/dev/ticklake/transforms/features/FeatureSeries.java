package dev.ticklake.transforms.features;

import dev.ticklake.transforms.indicators.Bar;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature rows of one whole series: {@link FeatureCalculator} bar by bar (features of bar t
 * from bars ≤ t), then the labels of bar t from bar t+1, filled only when bar t+1 exists.
 */
public final class FeatureSeries {
  private FeatureSeries() {}

  /**
   * Rows of {@code bars} (one symbol, strictly increasing bar starts), one per bar, same order.
   *
   * @throws IllegalArgumentException if the bars are not strictly increasing in start
   */
  public static List<FeatureRow> compute(String symbol, List<Bar> bars, boolean daily) {
    FeatureCalculator calculator = new FeatureCalculator(daily);
    List<double[]> features = new ArrayList<>(bars.size());
    for (Bar bar : bars) {
      features.add(calculator.next(bar));
    }
    List<FeatureRow> rows = new ArrayList<>(bars.size());
    for (int t = 0; t < bars.size(); t++) {
      Bar bar = bars.get(t);
      Integer up = null;
      Double ret = null;
      Double nextClose = null;
      if (t + 1 < bars.size()) {
        nextClose = bars.get(t + 1).close();
        up = nextClose > bar.close() ? 1 : 0;
        ret = Math.log(nextClose / bar.close());
      }
      rows.add(
          new FeatureRow(
              symbol, bar.barStartMicros(), bar.close(), features.get(t), up, ret, nextClose));
    }
    return rows;
  }
}

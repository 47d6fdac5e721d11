package dev.ticklake.transforms.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ticklake.transforms.indicators.Bar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureSeriesTest {
  private static final double TOL = 1e-9;

  static List<Bar> fixture(int n, long seed) {
    return FeatureLake.randomDailyBars(n, seed);
  }

  @Test
  void featuresEqualAnIndependentComputation() {
    List<Bar> bars = fixture(120, 7);
    List<FeatureRow> rows = FeatureSeries.compute("AAA", bars, true);
    int n = bars.size();
    double[] c = bars.stream().mapToDouble(Bar::close).toArray();
    double[] v = bars.stream().mapToDouble(Bar::volume).toArray();
    for (int t = 0; t < n; t++) {
      double[] f = rows.get(t).features();
      for (int k = 1; k <= 5; k++) {
        double expected = t - k + 1 >= 1 ? Math.log(c[t - k + 1] / c[t - k]) : Double.NaN;
        assertFeature(f, "ret_" + k, expected, t);
      }
      assertFeature(f, "close_sma_20", t >= 19 ? c[t] / mean(c, t - 19, t) - 1 : Double.NaN, t);
      assertFeature(f, "close_sma_50", t >= 49 ? c[t] / mean(c, t - 49, t) - 1 : Double.NaN, t);
      double width = Double.NaN;
      if (t >= 19) {
        double m = mean(c, t - 19, t);
        width = 4 * popSd(c, t - 19, t) / m;
      }
      assertFeature(f, "bb_width", width, t);
      double z = Double.NaN;
      if (t >= 19 && popSd(v, t - 19, t) > 0) {
        z = (v[t] - mean(v, t - 19, t)) / popSd(v, t - 19, t);
      }
      assertFeature(f, "volume_z", z, t);
      double slope = Double.NaN;
      if (t >= 5) {
        double obvChange = 0;
        double traded = 0;
        for (int j = t - 4; j <= t; j++) {
          obvChange += Math.signum(c[j] - c[j - 1]) * v[j];
          traded += v[j];
        }
        slope = traded == 0 ? Double.NaN : obvChange / traded;
      }
      assertFeature(f, "obv_slope_5", slope, t);
      assertFeature(f, "atr_rel", t >= 13 ? wilderAtr(bars, t) / c[t] : Double.NaN, t);
      double vol = Double.NaN;
      if (t >= 20) {
        double[] r = new double[20];
        for (int j = 0; j < 20; j++) {
          r[j] = Math.log(c[t - 19 + j] / c[t - 20 + j]);
        }
        vol = sampleSd(r) * Math.sqrt(252);
      }
      assertFeature(f, "volatility_20", vol, t);
      LocalDate day = LocalDate.of(2025, 1, 1).plusDays(t);
      assertFeature(f, "day_of_week", day.getDayOfWeek().getValue(), t);
      assertFeature(f, "month", day.getMonthValue(), t);
      assertFeature(f, "minute_of_day", 0, t);
    }
    // labels from the next bar, only where it exists
    for (int t = 0; t < n - 1; t++) {
      FeatureRow row = rows.get(t);
      assertThat(row.labelUp()).isEqualTo(c[t + 1] > c[t] ? 1 : 0);
      assertThat(row.labelReturn()).isEqualTo(Math.log(c[t + 1] / c[t]));
      assertThat(row.labelClose()).isEqualTo(c[t + 1]);
    }
    FeatureRow last = rows.get(n - 1);
    assertThat(last.labelUp()).isNull();
    assertThat(last.labelReturn()).isNull();
    assertThat(last.labelClose()).isNull();
    assertThat(last.labelled()).isFalse();
    // the zero-volume run leaves volume_z undefined once the window holds only zeros
    assertThat(rows.get(54).features()[FeatureSchema.indexOf("volume_z")]).isNaN();
    assertThat(rows.get(40).features()[FeatureSchema.indexOf("obv_slope_5")]).isNaN();
  }

  @Test
  void minuteFeaturesEqualAnIndependentComputation() {
    List<Bar> bars = minuteFixture(60, 5);
    List<FeatureRow> rows = FeatureSeries.compute("AAA", bars, false);
    double[] c = bars.stream().mapToDouble(Bar::close).toArray();
    for (int t = 0; t < bars.size(); t++) {
      double[] f = rows.get(t).features();
      assertFeature(f, "ret_1", t >= 1 ? Math.log(c[t] / c[t - 1]) : Double.NaN, t);
      assertFeature(f, "close_sma_20", t >= 19 ? c[t] / mean(c, t - 19, t) - 1 : Double.NaN, t);
      double vol = Double.NaN;
      if (t >= 20) {
        double[] r = new double[20];
        for (int j = 0; j < 20; j++) {
          r[j] = Math.log(c[t - 19 + j] / c[t - 20 + j]);
        }
        vol = sampleSd(r); // per bar: intraday volatility is not annualised
      }
      assertFeature(f, "volatility_20", vol, t);
      // 2025-01-02 (a Thursday) from 14:30 UTC, one bar a minute
      assertFeature(f, "minute_of_day", 14 * 60 + 30 + t, t);
      assertFeature(f, "day_of_week", 4, t);
      assertFeature(f, "month", 1, t);
    }
    assertThat(rows.get(58).labelClose()).isEqualTo(c[59]);
    assertThat(rows.get(59).labelClose()).isNull();
  }

  @Test
  void aFeatureAtBarTUsesOnlyBarsUpToT() {
    assertNoLookahead(fixture(150, 11), true);
  }

  @Test
  void aMinuteFeatureAtBarTUsesOnlyBarsUpToT() {
    assertNoLookahead(minuteFixture(150, 12), false);
  }

  /** {@code n} bars of {@link #fixture}, one a minute from 2025-01-02 14:30 UTC. */
  static List<Bar> minuteFixture(int n, long seed) {
    long start =
        java.time.LocalDateTime.of(2025, 1, 2, 14, 30).toEpochSecond(java.time.ZoneOffset.UTC)
            * 1_000_000L;
    List<Bar> minutes = new ArrayList<>();
    List<Bar> days = fixture(n, seed);
    for (int i = 0; i < n; i++) {
      Bar b = days.get(i);
      minutes.add(
          new Bar(start + i * 60_000_000L, b.open(), b.high(), b.low(), b.close(), b.volume()));
    }
    return minutes;
  }

  private static void assertNoLookahead(List<Bar> bars, boolean daily) {
    List<FeatureRow> original = FeatureSeries.compute("AAA", bars, daily);
    Random r = new Random(3);
    for (int t : new int[] {0, 1, 5, 19, 20, 49, 50, 77, 120, 148}) {
      List<Bar> changed = new ArrayList<>(bars.subList(0, t + 1));
      for (int j = t + 1; j < bars.size(); j++) { // every later bar replaced by a different one
        Bar b = bars.get(j);
        double k = 0.5 + r.nextDouble();
        changed.add(
            new Bar(
                b.barStartMicros(),
                b.open() * k,
                b.high() * k * 1.1,
                b.low() * k * 0.9,
                b.close() * k,
                b.volume() * 3 + 17));
      }
      List<FeatureRow> recomputed = FeatureSeries.compute("AAA", changed, daily);
      for (int s = 0; s <= t; s++) {
        assertThat(recomputed.get(s).features())
            .as("features of bar %d after changing bars > %d", s, t)
            .isEqualTo(original.get(s).features());
      }
      // the label of bar t is the one thing that must change with bar t+1
      if (t + 1 < bars.size()) {
        assertThat(recomputed.get(t).labelClose()).isNotEqualTo(original.get(t).labelClose());
      }
    }
  }

  @Test
  void barsOutOfOrderAreRejectedWithTheBar() {
    List<Bar> bars = fixture(3, 1);
    List<Bar> swapped = List.of(bars.get(1), bars.get(0));
    assertThatThrownBy(() -> FeatureSeries.compute("AAA", swapped, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bar starting at");
  }

  private static void assertFeature(double[] f, String name, double expected, int t) {
    double actual = f[FeatureSchema.indexOf(name)];
    if (Double.isNaN(expected)) {
      assertThat(actual).as("%s at bar %d", name, t).isNaN();
    } else {
      assertThat(actual)
          .as("%s at bar %d", name, t)
          .isCloseTo(expected, within(TOL * Math.max(1, Math.abs(expected))));
    }
  }

  private static double mean(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i <= to; i++) {
      s += x[i];
    }
    return s / (to - from + 1);
  }

  private static double popSd(double[] x, int from, int to) {
    double m = mean(x, from, to);
    double s = 0;
    for (int i = from; i <= to; i++) {
      s += (x[i] - m) * (x[i] - m);
    }
    return Math.sqrt(s / (to - from + 1));
  }

  private static double sampleSd(double[] x) {
    double m = mean(x, 0, x.length - 1);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }

  /** Wilder's ATR(14) at bar t (t ≥ 13), by the literal recurrence. */
  private static double wilderAtr(List<Bar> bars, int t) {
    double[] tr = new double[t + 1];
    for (int i = 0; i <= t; i++) {
      Bar b = bars.get(i);
      tr[i] = b.high() - b.low();
      if (i > 0) {
        double pc = bars.get(i - 1).close();
        tr[i] = Math.max(tr[i], Math.max(Math.abs(b.high() - pc), Math.abs(b.low() - pc)));
      }
    }
    double atr = mean(tr, 0, 13);
    for (int i = 14; i <= t; i++) {
      atr = (atr * 13 + tr[i]) / 14;
    }
    return atr;
  }
}

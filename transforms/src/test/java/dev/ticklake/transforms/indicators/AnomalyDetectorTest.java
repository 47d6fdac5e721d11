package dev.ticklake.transforms.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
  private static final long MINUTE = 60_000_000L;

  /** Bars whose closes have exactly these log returns (up to one rounding of exp), from 100. */
  private static List<Bar> barsWithReturns(double... logReturns) {
    List<Bar> bars = new ArrayList<>();
    double logPrice = Math.log(100);
    bars.add(flat(0, Math.exp(logPrice)));
    for (int i = 0; i < logReturns.length; i++) {
      logPrice += logReturns[i];
      bars.add(flat((i + 1) * MINUTE, Math.exp(logPrice)));
    }
    return bars;
  }

  private static Bar flat(long start, double close) {
    return new Bar(start, close, close, close, close, 1);
  }

  private static double[] alternating(int n, double size) {
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = i % 2 == 0 ? size : -size;
    }
    return r;
  }

  private static double[] concat(double[] head, double... tail) {
    double[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  private static List<Optional<Anomaly>> detect(AnomalyDetector detector, List<Bar> bars) {
    List<Optional<Anomaly>> out = new ArrayList<>();
    bars.forEach(b -> out.add(detector.accept(b)));
    return out;
  }

  /**
   * 60 returns alternating ±0.01 (mean 0, sample sd 0.01·√(60/59)), then a +0.05 spike: z =
   * 0.05/(0.01·√(60/59)) = 5·√(59/60) ≈ 4.958 → "up".
   */
  @Test
  void flagsASpikeWithItsExactZScore() {
    double[] returns = concat(alternating(60, 0.01), 0.05, 0.0);
    List<Optional<Anomaly>> out = detect(new AnomalyDetector(), barsWithReturns(returns));

    assertThat(out.subList(0, 61)).allMatch(Optional::isEmpty);
    Anomaly spike = out.get(61).orElseThrow();
    assertThat(spike.barStartMicros()).isEqualTo(61 * MINUTE);
    assertThat(spike.logReturn()).isCloseTo(0.05, within(1e-14));
    assertThat(spike.windowMean()).isCloseTo(0.0, within(1e-15));
    assertThat(spike.windowStdev()).isCloseTo(0.01 * Math.sqrt(60.0 / 59.0), within(1e-15));
    assertThat(spike.zScore()).isCloseTo(5 * Math.sqrt(59.0 / 60.0), within(1e-11));
    assertThat(spike.direction()).isEqualTo(Anomaly.Direction.UP);
    assertThat(spike.direction().label()).isEqualTo("up");
    // After the spike, a 0 return is ordinary: window = 29 × (+0.01), 30 × (−0.01), +0.05
    // (the first +0.01 dropped), mean = 0.04/60, z = −(0.04/60)/sd, |z| well below 3.
    assertThat(out.get(62)).isEmpty();
  }

  /** The same spike downwards, with a window of 4 and threshold 1: everything by hand. */
  @Test
  void smallWindowDownMoveByHand() {
    // Previous window (+0.02, −0.02, +0.02, −0.02): mean 0, sample sd = √(4·0.0004/3).
    // Return −0.03: z = −0.03/(0.02·√(4/3)) = −1.5·√(3/4) ≈ −1.299 → "down" at threshold 1.
    List<Bar> bars = barsWithReturns(0.02, -0.02, 0.02, -0.02, -0.03);
    List<Optional<Anomaly>> out = detect(new AnomalyDetector(4, 1.0), bars);
    assertThat(out.subList(0, 5)).allMatch(Optional::isEmpty);
    Anomaly down = out.get(5).orElseThrow();
    assertThat(down.zScore()).isCloseTo(-1.5 * Math.sqrt(0.75), within(1e-11));
    assertThat(down.direction()).isEqualTo(Anomaly.Direction.DOWN);
    assertThat(down.direction().label()).isEqualTo("down");
    // Threshold 1.3 is beyond |z| ≈ 1.299: no anomaly.
    assertThat(detect(new AnomalyDetector(4, 1.3), bars).get(5)).isEmpty();
  }

  @Test
  void noAnomalyWhileFewerThanWindowPreviousReturns() {
    // 59 previous returns, then a huge move: the window is not full yet.
    double[] returns = concat(alternating(59, 0.01), 0.5);
    assertThat(detect(new AnomalyDetector(), barsWithReturns(returns))).allMatch(Optional::isEmpty);
  }

  @Test
  void noAnomalyWhenThePreviousReturnsHaveNoDispersion() {
    // Flat prices: the 60 previous returns are exactly 0, stdev 0, z undefined → no anomaly.
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i <= 60; i++) {
      bars.add(flat(i * MINUTE, 100));
    }
    bars.add(flat(61 * MINUTE, 120));
    assertThat(detect(new AnomalyDetector(), bars)).hasSize(62).allMatch(Optional::isEmpty);
  }

  @Test
  void snapshotRestoreIsBitIdenticalAtEverySplitPoint() {
    List<Bar> bars = RandomBars.walk(99L, 1_000);
    AnomalyDetector uninterrupted = new AnomalyDetector(60, 2.5);
    List<Optional<Anomaly>> expected = new ArrayList<>();
    List<AnomalyState> snapshots = new ArrayList<>();
    snapshots.add(uninterrupted.snapshot());
    for (Bar bar : bars) {
      expected.add(uninterrupted.accept(bar));
      snapshots.add(uninterrupted.snapshot());
    }
    assertThat(expected.stream().filter(Optional::isPresent).count()).isGreaterThan(5);
    for (int split = 0; split <= bars.size(); split++) {
      AnomalyState restored = IndicatorSnapshotTest.roundTrip(snapshots.get(split));
      assertThat(restored).isEqualTo(snapshots.get(split));
      assertThat(restored.logReturns().length).isLessThanOrEqualTo(60);
      AnomalyDetector resumed = AnomalyDetector.restore(restored, 2.5);
      for (int i = split; i < bars.size(); i++) {
        Optional<Anomaly> got = resumed.accept(bars.get(i));
        if (!got.equals(expected.get(i))) {
          fail("bar %d after a split at %d: %s != %s", i + 1, split, got, expected.get(i));
        }
      }
    }
  }

  @Test
  void anomaliesMatchAStraightforwardRecomputation() {
    List<Bar> bars = RandomBars.walk(5L, 1_000);
    double[] r = new double[bars.size()];
    for (int i = 1; i < bars.size(); i++) {
      r[i] = Math.log(bars.get(i).close() / bars.get(i - 1).close());
    }
    AnomalyDetector detector = new AnomalyDetector();
    int found = 0;
    for (int i = 0; i < bars.size(); i++) {
      Optional<Anomaly> got = detector.accept(bars.get(i));
      Double z = null;
      if (i > 60) {
        double sum = 0;
        for (int j = i - 60; j < i; j++) {
          sum += r[j];
        }
        double mean = sum / 60;
        double squares = 0;
        for (int j = i - 60; j < i; j++) {
          squares += (r[j] - mean) * (r[j] - mean);
        }
        z = (r[i] - mean) / Math.sqrt(squares / 59);
      }
      if (z != null && Math.abs(z) > 3) {
        found++;
        assertThat(got).as("bar %d", i + 1).isPresent();
        assertThat(got.get().zScore()).isCloseTo(z, within(1e-9 * Math.abs(z)));
      } else {
        assertThat(got).as("bar %d (z = %s)", i + 1, z).isEmpty();
      }
    }
    assertThat(found).isGreaterThan(5);
  }

  @Test
  void rejectsBadConfigurationAndOutOfOrderBars() {
    assertThatThrownBy(() -> new AnomalyDetector(1, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AnomalyDetector(60, 0))
        .isInstanceOf(IllegalArgumentException.class);
    AnomalyDetector detector = new AnomalyDetector();
    detector.accept(flat(MINUTE, 10));
    assertThatThrownBy(() -> detector.accept(flat(MINUTE, 11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strictly increasing");
  }
}

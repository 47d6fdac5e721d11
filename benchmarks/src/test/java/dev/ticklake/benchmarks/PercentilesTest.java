package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfOneToOneHundred() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[99 - i] = i + 1; // unsorted on purpose
    }
    Percentiles p = Percentiles.of(v);
    assertThat(p).isEqualTo(new Percentiles(100, 50, 95, 100));
    assertThat(v[0]).as("input not modified").isEqualTo(100);
  }

  @Test
  void smallSamplesReportMeasuredValues() {
    assertThat(Percentiles.of(new double[] {7})).isEqualTo(new Percentiles(1, 7, 7, 7));
    assertThat(Percentiles.of(new double[] {3, 1, 2})).isEqualTo(new Percentiles(3, 2, 3, 3));
  }

  @Test
  void emptyIsNanAndNullInJson() {
    Percentiles p = Percentiles.of(new double[0]);
    assertThat(p.count()).isZero();
    assertThat(p.p95()).isNaN();
    Map<String, Object> json = p.toJson();
    assertThat(json).containsEntry("count", 0L).containsEntry("p95Ms", null);
  }

  @Test
  void jsonRoundsToATenthOfAMillisecond() {
    assertThat(Percentiles.of(new double[] {1.234, 5.678}).toJson())
        .containsEntry("p50Ms", 1.2)
        .containsEntry("p95Ms", 5.7)
        .containsEntry("maxMs", 5.7);
  }
}

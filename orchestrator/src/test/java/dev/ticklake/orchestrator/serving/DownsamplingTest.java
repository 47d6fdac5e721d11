package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.serving.Downsampling.Fold;
import dev.ticklake.orchestrator.serving.Downsampling.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownsamplingTest {
  private static final long MIN = 60_000;

  @Test
  void servesPointsAsTheyAreWhenTheyFitAndTheIntervalIsNotWider() {
    assertThat(Downsampling.bucketMillis(0, 59 * MIN, 60, 60, 1000, MIN)).isZero();
    assertThat(Downsampling.bucketMillis(0, 59 * MIN, 60, 60, MIN, MIN)).isZero();
  }

  @Test
  void picksTheSmallestWholeNumberOfBarsThatFitsMaxDataPoints() {
    // 59 minutes into at most 10 aligned buckets: w > 59/9 min, so 7 minutes (6 would allow 11).
    assertThat(Downsampling.bucketMillis(0, 59 * MIN, 60, 10, 0, MIN)).isEqualTo(7 * MIN);
    // Unaligned range: 3 min 30 s to 62 min 30 s still meets at most 10 buckets of 7 minutes.
    long from = 3 * MIN + 30_000;
    long to = 62 * MIN + 30_000;
    long w = Downsampling.bucketMillis(from, to, 60, 10, 0, MIN);
    assertThat(Math.floorDiv(to, w) - Math.floorDiv(from, w) + 1).isLessThanOrEqualTo(10);
  }

  @Test
  void respectsAWiderIntervalRoundedUpToWholeBars() {
    assertThat(Downsampling.bucketMillis(0, 59 * MIN, 60, 1000, 5 * MIN, MIN)).isEqualTo(5 * MIN);
    assertThat(Downsampling.bucketMillis(0, 59 * MIN, 60, 1000, 90_000, MIN)).isEqualTo(2 * MIN);
  }

  @Test
  void rejectsFewerThanTwoDataPoints() {
    assertThatThrownBy(() -> Downsampling.bucketMillis(0, 1, 5, 1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void foldsOhlcVolumeAndVwapPerAlignedBucket() {
    // open, high, low, close, volume, vwap
    List<Point> points =
        List.of(
            p(0, 10.0, 12.0, 9.0, 11.0, 100.0, 10.5),
            p(MIN, 11.0, 15.0, 10.5, 14.0, 300.0, 13.0),
            p(2 * MIN, 14.0, 14.5, 8.0, 9.0, 50.0, 10.0),
            p(3 * MIN, 9.0, 9.5, 8.5, 9.25, 10.0, null));
    Fold[] folds = {Fold.FIRST, Fold.MAX, Fold.MIN, Fold.LAST, Fold.SUM, Fold.WEIGHTED};
    List<Point> out = Downsampling.downsample(points, folds, 4, 2 * MIN);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).time()).isZero();
    assertThat(out.get(0).values())
        .containsExactly(10.0, 15.0, 9.0, 14.0, 400.0, (10.5 * 100 + 13.0 * 300) / 400);
    assertThat(out.get(1).time()).isEqualTo(2 * MIN);
    // The null vwap of the last bar is skipped: the bucket's vwap is the first bar's.
    assertThat(out.get(1).values()).containsExactly(14.0, 14.5, 8.0, 9.25, 60.0, 10.0);
  }

  @Test
  void aBucketOfNullsIsNullAndLastTakesTheLastValue() {
    List<Point> points = List.of(p(0, (Double) null), p(1, (Double) null), p(5, 3.0), p(6, 4.0));
    List<Point> out = Downsampling.downsample(points, new Fold[] {Fold.LAST}, -1, 5);
    assertThat(out).extracting(x -> x.values()[0]).containsExactly(null, 4.0);
  }

  @Test
  void foldOfGoldColumns() {
    assertThat(Downsampling.foldOf("open")).isEqualTo(Fold.FIRST);
    assertThat(Downsampling.foldOf("high")).isEqualTo(Fold.MAX);
    assertThat(Downsampling.foldOf("low")).isEqualTo(Fold.MIN);
    assertThat(Downsampling.foldOf("close")).isEqualTo(Fold.LAST);
    assertThat(Downsampling.foldOf("volume")).isEqualTo(Fold.SUM);
    assertThat(Downsampling.foldOf("vwap")).isEqualTo(Fold.WEIGHTED);
    assertThat(Downsampling.foldOf("rsi_14")).isEqualTo(Fold.LAST);
  }

  private static Point p(long t, Double... values) {
    return new Point(t, values);
  }
}

package dev.ticklake.transforms.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefineSilverBucketsTest {
  @Test
  void oneBucketForAMicroBatchThenOnePerRowsPerBucketCappedAt64() {
    long hashed = RefineSilver.ROWS_PER_BUCKET_HASHED_WORKERS;
    assertThat(RefineSilver.buckets(0, hashed)).isEqualTo(1);
    assertThat(RefineSilver.buckets(25_000, hashed)).isEqualTo(1);
    assertThat(RefineSilver.buckets(31_251, hashed)).isEqualTo(2);
    assertThat(RefineSilver.buckets(2_000_000, hashed)).isEqualTo(64);
    assertThat(RefineSilver.buckets(50_000_000, hashed)).isEqualTo(RefineSilver.MAX_BUCKETS);
    assertThat(RefineSilver.buckets(2_000_000, RefineSilver.ROWS_PER_BUCKET)).isEqualTo(8);
  }

  @Test
  void rowsPerBucketMustBePositive() {
    SilverBatch batch = new SilverBatch(-1, 0, Instant.parse("2026-11-20T14:30:00Z"), "r");
    assertThatThrownBy(() -> RefineSilver.of("/tmp/lake", batch).withRowsPerBucket(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowsPerBucket must be >= 1");
  }
}

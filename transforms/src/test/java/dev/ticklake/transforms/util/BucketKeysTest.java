package dev.ticklake.transforms.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class BucketKeysTest {
  private final PipelineOptions options = PipelineOptionsFactory.create();

  @Test
  void identityGivesTheBucketNumbers() {
    assertThat(BucketKeys.checked(BucketKeys.IDENTITY, 4, options)).containsExactly(0, 1, 2, 3);
  }

  @Test
  void checkedRefusesRepeatedKeys() {
    BucketKeys repeated = (buckets, o) -> new int[buckets];
    assertThatThrownBy(() -> BucketKeys.checked(repeated, 2, options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must give 2 distinct bucket keys, gave [0, 0]");
  }

  @Test
  void checkedRefusesTheWrongNumberOfKeys() {
    BucketKeys one = (buckets, o) -> new int[] {7};
    assertThatThrownBy(() -> BucketKeys.checked(one, 2, options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gave [7]");
    BucketKeys none = (buckets, o) -> null;
    assertThatThrownBy(() -> BucketKeys.checked(none, 1, options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gave null");
  }
}

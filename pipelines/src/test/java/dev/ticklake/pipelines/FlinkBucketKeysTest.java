package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class FlinkBucketKeysTest {

  @Test
  void everyBucketGoesToWorkerBucketModParallelism() {
    for (int workers = 2; workers <= 8; workers++) {
      for (int buckets : new int[] {1, 2, 7, 64, 200}) {
        int[] keys = FlinkBucketKeys.balanced(buckets, workers);
        assertThat(IntStream.of(keys).distinct().count()).isEqualTo(buckets);
        for (int b = 0; b < buckets; b++) {
          assertThat(FlinkBucketKeys.workerOf(keys[b], workers))
              .as("bucket %d of %d on %d workers", b, buckets, workers)
              .isEqualTo(b % workers);
        }
      }
    }
  }

  @Test
  void keysAreSmallNonNegativeIntegersFoundInOrder() {
    // Flink's rule, murmurHash(Arrays.hashCode({key})) % 2, evaluated apart from this class for
    // the keys 0..5: workers 1, 0, 1, 1, 0, 1 (FlinkBucketKeysIT sees the same on a cluster). So
    // worker 0's keys are 1, 4, ... and worker 1's are 0, 2, 3, 5, ...
    assertThat(IntStream.range(0, 6).map(k -> FlinkBucketKeys.workerOf(k, 2)).toArray())
        .containsExactly(1, 0, 1, 1, 0, 1);
    assertThat(FlinkBucketKeys.balanced(4, 2)).containsExactly(1, 0, 4, 2);
  }

  @Test
  void withoutAParallelismTheKeysAreTheBucketNumbers() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setParallelism(-1);
    assertThat(FlinkBucketKeys.INSTANCE.keys(5, options)).containsExactly(0, 1, 2, 3, 4);
    options.setParallelism(1);
    assertThat(FlinkBucketKeys.INSTANCE.keys(3, options)).containsExactly(0, 1, 2);
    options.setParallelism(2);
    assertThat(FlinkBucketKeys.INSTANCE.keys(4, options)).containsExactly(1, 0, 4, 2);
  }

  @Test
  void survivesSerializationAsTheSameInstance() {
    assertThat(SerializableUtils.clone(FlinkBucketKeys.INSTANCE))
        .isSameAs(FlinkBucketKeys.INSTANCE);
  }
}

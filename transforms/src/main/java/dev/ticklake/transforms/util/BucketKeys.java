package dev.ticklake.transforms.util;

import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The keys under which a keyed shuffle's buckets travel ({@code KV<Integer, ...>} encoded with
 * {@code VarIntCoder}). A runner that hashes keys onto a fixed set of workers (Flink's batch
 * shuffle) can give one worker more buckets than another: with 64 buckets numbered 0..63 and two
 * workers, Flink puts 37 on one and 27 on the other, and the busier worker then runs alone for the
 * last quarter of the step. An implementation that knows the runner's partitioning picks keys that
 * land evenly. Called on the workers, with the run's options (a runner fills in values it decided,
 * such as its parallelism).
 */
@FunctionalInterface
public interface BucketKeys extends Serializable {

  /**
   * The key of each bucket {@code 0 <= b < buckets}: {@code buckets} distinct integers.
   *
   * @param options the options the pipeline runs with
   */
  int[] keys(int buckets, PipelineOptions options);

  /** Bucket {@code b} travels under key {@code b}. */
  BucketKeys IDENTITY = (buckets, options) -> IntStream.range(0, buckets).toArray();

  /**
   * {@code keys.keys(buckets, options)}, checked: one key per bucket, all distinct.
   *
   * @throws IllegalStateException naming {@code keys} otherwise
   */
  static int[] checked(BucketKeys keys, int buckets, PipelineOptions options) {
    int[] result = keys.keys(buckets, options);
    if (result == null
        || result.length != buckets
        || IntStream.of(result).distinct().count() != buckets) {
      throw new IllegalStateException(
          keys
              + " must give "
              + buckets
              + " distinct bucket keys, gave "
              + (result == null ? "null" : Arrays.toString(result)));
    }
    return result;
  }
}

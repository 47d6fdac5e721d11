package dev.ticklake.pipelines;

import dev.ticklake.transforms.util.BucketKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.flink.util.MathUtils;

/**
 * Bucket keys that Flink's batch shuffle spreads evenly: bucket {@code b} goes to worker {@code b %
 * parallelism}, so each worker gets the same number of buckets (±1).
 *
 * <p>Beam's Flink batch runner groups by the key's encoded bytes ({@code KvKeySelector}), hashes
 * them with {@code Arrays.hashCode} ({@code EncodedValueComparator}) and Flink sends a record to
 * channel {@code murmurHash(hash) % parallelism} ({@code OutputEmitter}). For the keys 0..63 and
 * two workers that is 37 against 27. {@link #workerOf} mirrors that rule, and {@code
 * FlinkBucketKeysIT} checks it on a real Flink cluster, so a change in either library shows up as a
 * failing test, not as a silently slower shuffle. The parallelism is read from the run's options,
 * where Beam's Flink runner writes the one it chose; without one ({@code < 2}) the keys are {@link
 * BucketKeys#IDENTITY}'s. The rule is that of Beam's DataSet translation of bounded pipelines (the
 * default); under {@code --useDataStreamForBatch} Flink assigns keys by key group instead, and the
 * keys are then only distinct: results stay the same, the balance is left to chance.
 */
public final class FlinkBucketKeys implements BucketKeys {
  private static final long serialVersionUID = 1L;

  /** The one instance: it has no state. */
  public static final FlinkBucketKeys INSTANCE = new FlinkBucketKeys();

  private FlinkBucketKeys() {}

  @Override
  public int[] keys(int buckets, PipelineOptions options) {
    Integer parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    if (parallelism == null || parallelism < 2) {
      return IDENTITY.keys(buckets, options);
    }
    return balanced(buckets, parallelism);
  }

  /**
   * The smallest non-negative keys such that bucket {@code b}'s key goes to worker {@code b %
   * workers}, in increasing order per worker.
   */
  static int[] balanced(int buckets, int workers) {
    List<ArrayDeque<Integer>> free = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      free.add(new ArrayDeque<>());
    }
    int[] keys = new int[buckets];
    int candidate = 0;
    for (int b = 0; b < buckets; b++) {
      ArrayDeque<Integer> mine = free.get(b % workers);
      while (mine.isEmpty()) {
        free.get(workerOf(candidate, workers)).add(candidate);
        candidate++;
      }
      keys[b] = mine.poll();
    }
    return keys;
  }

  /** The worker (0-based) Flink's batch shuffle sends bucket key {@code key} to. */
  static int workerOf(int key, int workers) {
    try {
      byte[] encoded = CoderUtils.encodeToByteArray(VarIntCoder.of(), key);
      return MathUtils.murmurHash(Arrays.hashCode(encoded)) % workers;
    } catch (CoderException e) {
      throw new IllegalStateException("VarIntCoder cannot encode " + key, e);
    }
  }

  @Override
  public String toString() {
    return "FlinkBucketKeys";
  }

  private Object readResolve() {
    return INSTANCE;
  }
}

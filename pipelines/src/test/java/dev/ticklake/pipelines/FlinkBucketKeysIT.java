package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.transforms.util.BucketKeys;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * {@link FlinkBucketKeys} on a real Flink cluster: the keys are chosen on the workers from the
 * run's options (as {@code RefineSilver}'s validation step does), go through Beam's GroupByKey with
 * {@code VarIntCoder} keys, and every worker receives the buckets {@link FlinkBucketKeys#workerOf}
 * promised it. The plain bucket numbers, for contrast, land unevenly.
 */
class FlinkBucketKeysIT {
  private static final String NS = "flinkBucketKeysIT";
  private static final Pattern SUBTASK = Pattern.compile("\\((\\d+)/(\\d+)\\)");

  private static PipelineOptions localFlink(String... parallelism) {
    String[] args = new String[2 + parallelism.length];
    args[0] = "--runner=FlinkRunner";
    args[1] = "--flinkMaster=[local]";
    System.arraycopy(parallelism, 0, args, 2, parallelism.length);
    return PipelineRuns.tune(PipelineOptionsFactory.fromArgs(args).create());
  }

  /**
   * Runs one job that keys {@code buckets} buckets with {@code keys} (chosen on the worker) and
   * returns how many buckets each worker ("i/n", 1-based as Flink names its subtasks) grouped.
   */
  private static Map<String, Long> bucketsPerWorker(
      PipelineOptions options, int buckets, BucketKeys keys) {
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(buckets))
        .apply(ParDo.of(new KeyBuckets(keys)))
        .setCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of()))
        .apply(GroupByKey.create())
        .apply(ParDo.of(new CountPerWorker()));
    PipelineResult result = PipelineRuns.runAndWait(p);
    Map<String, Long> perWorker = new TreeMap<>();
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getNamespace().equals(NS)) {
        perWorker.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    }
    return perWorker;
  }

  /** Emits (key of bucket b, b) for every bucket, with keys chosen from the run's options. */
  static final class KeyBuckets extends DoFn<Integer, KV<Integer, Integer>> {
    private final BucketKeys keys;
    private transient int[] chosen;
    private transient PipelineOptions options;

    KeyBuckets(BucketKeys keys) {
      this.keys = keys;
    }

    @StartBundle
    public void startBundle(StartBundleContext c) {
      options = c.getPipelineOptions();
    }

    @ProcessElement
    public void process(@Element Integer n, OutputReceiver<KV<Integer, Integer>> out) {
      if (chosen == null || chosen.length != n) {
        chosen = BucketKeys.checked(keys, n, options);
      }
      for (int b = 0; b < n; b++) {
        out.output(KV.of(chosen[b], b));
      }
    }
  }

  /** Counts the groups each worker receives, under "subtask/parallelism". */
  static final class CountPerWorker extends DoFn<KV<Integer, Iterable<Integer>>, Void> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Integer>> group) {
      Matcher m = SUBTASK.matcher(Thread.currentThread().getName());
      String worker = m.find() ? m.group(1) + "/" + m.group(2) : "unknown";
      Counter c = Metrics.counter(NS, worker);
      for (Integer ignored : group.getValue()) {
        c.inc();
      }
    }
  }

  @Test
  void sixtyFourBucketsSplitThirtyTwoEachOverTwoWorkers() {
    assertThat(bucketsPerWorker(localFlink("--parallelism=2"), 64, FlinkBucketKeys.INSTANCE))
        .isEqualTo(Map.of("1/2", 32L, "2/2", 32L));
  }

  @Test
  void threeWorkersGetBucketsRoundRobin() {
    assertThat(bucketsPerWorker(localFlink("--parallelism=3"), 64, FlinkBucketKeys.INSTANCE))
        .isEqualTo(Map.of("1/3", 22L, "2/3", 21L, "3/3", 21L));
  }

  @Test
  void theParallelismBeamChoseIsReadOnTheWorkers() {
    // No --parallelism: Beam picks one (the machine's cores for [local]) and writes it into the
    // options the workers see; the keys must balance for that one.
    Map<String, Long> perWorker = bucketsPerWorker(localFlink(), 12, FlinkBucketKeys.INSTANCE);
    int workers = perWorker.size();
    long expectedMax = (12 + workers - 1) / workers;
    assertThat(perWorker.values())
        .allSatisfy(n -> assertThat(n).isBetween(12L / workers, expectedMax));
    assertThat(perWorker.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(12L);
  }

  @Test
  void plainBucketNumbersLandUnevenly() {
    // Why the class exists: Flink hashes the keys 0..63 onto two workers 27 / 37.
    assertThat(bucketsPerWorker(localFlink("--parallelism=2"), 64, BucketKeys.IDENTITY))
        .isEqualTo(Map.of("1/2", 27L, "2/2", 37L));
  }
}

package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FlinkRunner {@code [local]} jobs on the JVM's shared {@link LocalFlinkCluster}: results, reuse, a
 * failing job, two jobs at once, another parallelism, the idle close that lets a JVM exit, and the
 * opt-out.
 */
class LocalFlinkClusterIT {
  private static final String NS = "localFlinkClusterIT";

  /** FlinkRunner {@code [local]} options as every TickLake job tunes them. */
  private static PipelineOptions localFlink(int parallelism) {
    return PipelineRuns.tune(
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=" + parallelism)
            .create());
  }

  /** Sums 1..n grouped by n mod 7 through a shuffle; returns the sum the job counted. */
  private static long runSumJob(int n, int parallelism) {
    PipelineOptions options = localFlink(parallelism);
    List<Integer> numbers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      numbers.add(i);
    }
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(numbers))
        .apply(
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.integers()))
                .via(i -> KV.of(i % 7, i)))
        .apply(GroupByKey.create())
        .apply(ParDo.of(new CountSum()));
    PipelineResult result = PipelineRuns.runAndWait(p);
    return counter(result, "sum");
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(NS, name)).build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  static final class CountSum extends DoFn<KV<Integer, Iterable<Integer>>, Void> {
    private final Counter sum = Metrics.counter(NS, "sum");

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Integer>> group) {
      for (int v : group.getValue()) {
        sum.inc(v);
      }
    }
  }

  @Test
  void consecutiveJobsShareOneClusterAndGetExactResults() {
    long first = runSumJob(1000, 2);
    LocalFlinkCluster.Stats before = LocalFlinkCluster.stats();
    assertThat(first).isEqualTo(500_500L);
    assertThat(runSumJob(2000, 2)).isEqualTo(2_001_000L);
    assertThat(runSumJob(10, 2)).isEqualTo(55L);
    LocalFlinkCluster.Stats after = LocalFlinkCluster.stats();
    assertThat(after.sharedJobs() - before.sharedJobs()).isEqualTo(2);
    assertThat(after.sharedClusterStarts()).isEqualTo(before.sharedClusterStarts());
  }

  @Test
  void anotherParallelismRestartsTheClusterWithThatManySlots() {
    runSumJob(100, 2);
    LocalFlinkCluster.Stats before = LocalFlinkCluster.stats();
    assertThat(runSumJob(100, 1)).isEqualTo(5050L);
    assertThat(runSumJob(100, 1)).isEqualTo(5050L);
    LocalFlinkCluster.Stats after = LocalFlinkCluster.stats();
    assertThat(after.sharedClusterStarts() - before.sharedClusterStarts()).isEqualTo(1);
    assertThat(after.sharedJobs() - before.sharedJobs()).isEqualTo(2);
  }

  static final class Fail extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer i) {
      if (i == 3) {
        throw new IllegalArgumentException("bad element 3");
      }
    }
  }

  @Test
  void aFailingJobFailsWithItsCauseAndTheClusterServesTheNextJob() {
    Pipeline p = Pipeline.create(localFlink(2));
    p.apply(Create.of(1, 2, 3, 4)).apply(ParDo.of(new Fail()));
    assertThatThrownBy(() -> PipelineRuns.runAndWait(p)).hasStackTraceContaining("bad element 3");

    LocalFlinkCluster.Stats before = LocalFlinkCluster.stats();
    assertThat(runSumJob(100, 2)).isEqualTo(5050L);
    LocalFlinkCluster.Stats after = LocalFlinkCluster.stats();
    assertThat(after.sharedJobs() - before.sharedJobs()).isEqualTo(1);
    assertThat(after.ownClusterJobs()).isEqualTo(before.ownClusterJobs());
  }

  static final CountDownLatch FIRST_JOB_RUNNING = new CountDownLatch(1);
  static final CountDownLatch SECOND_JOB_DONE = new CountDownLatch(1);

  /** Holds the first job on the shared cluster until the second one has finished. */
  static final class HoldUntilSecondJobDone extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer i, OutputReceiver<Integer> out)
        throws InterruptedException {
      FIRST_JOB_RUNNING.countDown();
      if (!SECOND_JOB_DONE.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the second job did not finish within 120 s");
      }
      out.output(i);
    }
  }

  @Test
  void aJobThatFindsTheClusterBusyGetsItsOwn() throws Exception {
    runSumJob(10, 2);
    LocalFlinkCluster.Stats before = LocalFlinkCluster.stats();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<PipelineResult.State> first =
          pool.submit(
              () -> {
                Pipeline p = Pipeline.create(localFlink(2));
                p.apply(Create.of(1)).apply(ParDo.of(new HoldUntilSecondJobDone()));
                return PipelineRuns.runAndWait(p).getState();
              });
      assertThat(FIRST_JOB_RUNNING.await(120, TimeUnit.SECONDS)).isTrue();
      assertThat(runSumJob(300, 2)).isEqualTo(45_150L);
      SECOND_JOB_DONE.countDown();
      assertThat(first.get(120, TimeUnit.SECONDS)).isEqualTo(PipelineResult.State.DONE);
    } finally {
      SECOND_JOB_DONE.countDown();
      pool.shutdownNow();
    }
    LocalFlinkCluster.Stats after = LocalFlinkCluster.stats();
    assertThat(after.sharedJobs() - before.sharedJobs()).isEqualTo(1);
    assertThat(after.ownClusterJobs() - before.ownClusterJobs()).isEqualTo(1);
  }

  /**
   * Runs one job and returns from main without closing the shared cluster; writes the sum and the
   * jobs run on the shared cluster.
   */
  public static final class OneJobMain {
    public static void main(String[] args) throws Exception {
      long sum = runSumJob(100, 2);
      Files.writeString(Path.of(args[0]), sum + " " + LocalFlinkCluster.stats().sharedJobs());
    }
  }

  /** Runs {@link OneJobMain} in a new JVM with {@code property}; returns what it wrote. */
  private static String runInChildJvm(Path dir, String property) throws Exception {
    Path out = dir.resolve("result.txt");
    Path log = dir.resolve("child.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + property,
                "-cp",
                System.getProperty("java.class.path"),
                OneJobMain.class.getName(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean exited = process.waitFor(180, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as("child JVM exited within 180 s; log: %s", log).isTrue();
    assertThat(process.exitValue()).as("exit code; log: %s", log).isZero();
    return Files.readString(out);
  }

  @Test
  void anIdleSharedClusterClosesItselfSoTheJvmExits(@TempDir Path dir) throws Exception {
    assertThat(runInChildJvm(dir, LocalFlinkCluster.IDLE_SECONDS_PROPERTY + "=1"))
        .isEqualTo("5050 1");
  }

  @Test
  void theOptOutRunsEachJobOnItsOwnClusterAsBeamDoes(@TempDir Path dir) throws Exception {
    assertThat(runInChildJvm(dir, LocalFlinkCluster.REUSE_PROPERTY + "=false")).isEqualTo("5050 0");
  }
}

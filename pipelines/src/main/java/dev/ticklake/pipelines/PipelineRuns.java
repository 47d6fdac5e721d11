package dev.ticklake.pipelines;

import dev.ticklake.transforms.delta.HadoopSettings;
import dev.ticklake.transforms.util.BucketKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/** Running a pipeline the way every TickLake job does. */
public final class PipelineRuns {
  private static final String LOCAL_FLINK = "[local]";
  private static final String SHARED_LOCAL_FLINK = "[auto]";

  private PipelineRuns() {}

  /**
   * Runner settings for throughput. On the DirectRunner, the immutability and encodability checks
   * are off: they encode every element again (a test aid, which production runners never do). Tests
   * of the transforms keep them on. On the FlinkRunner, {@code [local]} runs on the JVM's shared
   * {@link LocalFlinkCluster} (Beam's {@code [auto]} master, which asks Flink's context
   * environment) unless the JVM runs with {@code -Dticklake.localFlinkCluster.reuse=false}.
   */
  public static <T extends PipelineOptions> T tune(T options) {
    if (options.getRunner() == DirectRunner.class || options.getRunner() == null) {
      DirectOptions direct = options.as(DirectOptions.class);
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
      direct.setBlockOnRun(true);
    } else if (options.getRunner() == FlinkRunner.class) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      if (LOCAL_FLINK.equals(flink.getFlinkMaster()) && LocalFlinkCluster.enabled()) {
        LocalFlinkCluster.install();
        flink.setFlinkMaster(SHARED_LOCAL_FLINK);
      }
    }
    return options;
  }

  /**
   * Makes the job's {@code --hadoop} settings (the lake's file system: {@code fs.s3a.*}, {@code
   * dfs.*}) apply to every table this JVM opens, over those already set (e.g. by the orchestrator's
   * {@code hadoop:} configuration); none given changes nothing.
   */
  public static void useHadoopSettings(TickLakeOptions options) {
    List<String> given = options.getHadoop();
    if (given != null && !given.isEmpty()) {
      HadoopSettings.setProcessWide(HadoopSettings.effective(HadoopSettings.parse(given)));
    }
  }

  /**
   * Bucket keys for the shuffles and file reads of a job: on Flink, keys its batch shuffle spreads
   * evenly over the workers ({@link FlinkBucketKeys}); elsewhere the bucket numbers.
   */
  public static BucketKeys bucketKeys(PipelineOptions options) {
    return options.getRunner() == FlinkRunner.class
        ? FlinkBucketKeys.INSTANCE
        : BucketKeys.IDENTITY;
  }

  /**
   * A job main's body: runs the batch, prints its result, then closes the shared local Flink
   * cluster (if one is up) so that the JVM exits at once instead of after the cluster's idle time.
   */
  public static void runMain(Supplier<?> batch) {
    try {
      System.out.println(batch.get());
    } finally {
      LocalFlinkCluster.shutdown();
    }
  }

  /** Runs and waits; a failed pipeline throws with the runner's cause. */
  public static PipelineResult runAndWait(Pipeline p) {
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("Pipeline ended in state " + state);
    }
    return result;
  }

  /** What each commit records about the run that made it (Delta userMetadata). */
  public static Map<String, String> commitInfo(TickLakeOptions options, String pipeline) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("pipeline", pipeline);
    info.put("runId", options.getRunId());
    if (!options.getTaskId().isEmpty()) {
      info.put("taskId", options.getTaskId());
    }
    if (!options.getLogicalTime().isEmpty()) {
      info.put("logicalTime", options.getLogicalTime());
    }
    return info;
  }
}

package dev.ticklake.pipelines;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.flink.core.execution.JobClient;

/**
 * Waiting for a job on a remote Flink cluster. Attached, Flink's REST client polls for the job's
 * result with a back-off that grows to 2 s (hard-coded in {@code RestClusterClient}), so a 5-10 s
 * job's end is seen up to 2 s late: about a second per job on average, the largest part of the
 * cluster's submission overhead in the {@code cluster} benchmark (docs/benchmarks.md). So TickLake
 * submits detached and polls the job's status itself, every {@value #MAX_POLL_MILLIS} ms at most;
 * once the job has ended, the result (and a failure's cause) is fetched in one request.
 */
final class RemoteFlinkWait {
  // Each status request builds and closes a REST client (Flink's JobClient for a session
  // cluster), so the polls stay a few per second: a job's end is seen 125 ms late on average.
  private static final long FIRST_POLL_MILLIS = 50;
  private static final long MAX_POLL_MILLIS = 250;
  private static final long RESULT_TIMEOUT_SECONDS = 60;
  private static final String LOCAL_MASTERS = "\\[auto\\]|\\[collection\\]|\\[local\\]";

  private RemoteFlinkWait() {}

  /** Detached submission for a remote master; embedded masters stay attached. */
  static void detachIfRemote(FlinkPipelineOptions options) {
    if (!options.getFlinkMaster().matches(LOCAL_MASTERS)) {
      options.setAttachedMode(false);
    }
  }

  /** The job's end state; a failed job throws with the cluster's cause. */
  static PipelineResult.State await(FlinkDetachedRunnerResult result) {
    long pause = FIRST_POLL_MILLIS;
    PipelineResult.State state;
    try {
      while (!(state = result.getState()).isTerminal()) {
        Thread.sleep(pause);
        pause = Math.min(MAX_POLL_MILLIS, pause * 2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelQuietly(result);
      throw new IllegalStateException("interrupted while waiting for the Flink job", e);
    }
    if (state == PipelineResult.State.FAILED) {
      throw new IllegalStateException("the Flink job failed", failureCause(result));
    }
    return state;
  }

  private static void cancelQuietly(FlinkDetachedRunnerResult result) {
    try {
      result.cancel();
    } catch (Exception | Error e) {
      // The orchestrator's job tracker cancels by name as well; nothing more to do here.
    }
  }

  /**
   * The failed job's cause as the attached client would have thrown it. Beam's detached result
   * keeps its {@link JobClient} private, hence the reflection (Beam's version is pinned in the
   * pom); without it, the failure is still reported, only without the cause.
   */
  private static Throwable failureCause(FlinkDetachedRunnerResult result) {
    try {
      Field field = FlinkDetachedRunnerResult.class.getDeclaredField("jobClient");
      field.setAccessible(true);
      JobClient client = (JobClient) field.get(result);
      client.getJobExecutionResult().get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new IllegalStateException("the cluster reported no cause");
    } catch (ExecutionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (ReflectiveOperationException | RuntimeException | TimeoutException e) {
      return new IllegalStateException("the job's cause could not be fetched", e);
    }
  }
}

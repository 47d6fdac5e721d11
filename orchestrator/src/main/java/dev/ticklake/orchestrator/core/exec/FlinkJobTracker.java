package dev.ticklake.orchestrator.core.exec;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the Flink job of one {@code flink-remote} try: finds its id on the cluster while it runs
 * and writes it, with a link to its page in the web UI, to the try's log ({@code flink job <id>
 * (<name>) on <master>: <url>}); cancels it when the try is canceled or times out.
 */
final class FlinkJobTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkJobTracker.class);
  private static final long POLL_MILLIS = 250;

  /** A tracker for tries that run no Flink job on a cluster. */
  static final FlinkJobTracker NONE = new FlinkJobTracker(null, null, line -> {});

  private final String master;
  private final String jobName;
  private final Consumer<String> log;
  private final AtomicReference<String> jobId = new AtomicReference<>();
  private volatile boolean closed;
  private volatile CompletableFuture<Void> canceling = CompletableFuture.completedFuture(null);

  private FlinkJobTracker(String master, String jobName, Consumer<String> log) {
    this.master = master;
    this.jobName = jobName;
    this.log = log;
  }

  /**
   * Starts following the job of {@code run} when it runs on a remote cluster, else {@link #NONE}.
   */
  static FlinkJobTracker start(TaskRun run, Consumer<String> log) {
    RunnerSettings runner = run.context().runner();
    if (!runner.isFlinkRemote()) {
      return NONE;
    }
    FlinkJobTracker tracker =
        new FlinkJobTracker(runner.flinkMaster(), FlinkRemoteJobs.jobName(run.context()), log);
    Thread poller = new Thread(tracker::pollUntilFound, "ticklake-flink-job-" + run.key());
    poller.setDaemon(true);
    poller.start();
    return tracker;
  }

  Optional<String> jobId() {
    return Optional.ofNullable(jobId.get());
  }

  /** {@code flinkJobId} and {@code flinkJobUrl}, when the job was found. */
  Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    jobId()
        .ifPresent(
            id -> {
              m.put("flinkJobId", id);
              m.put("flinkJobUrl", FlinkRemoteJobs.webUrl(master, id));
            });
    return m;
  }

  /** Cancels the job on the cluster (in the background: callers must return at once). */
  CompletableFuture<Void> cancelJob(String why) {
    if (this == NONE) {
      return CompletableFuture.completedFuture(null);
    }
    canceling =
        CompletableFuture.runAsync(
            () -> {
              try {
                Optional<String> id = FlinkRemoteJobs.cancel(master, jobName);
                log.accept(
                    id.map(j -> why + ": Flink job " + j + " canceled on " + master)
                        .orElse(why + ": no running Flink job named " + jobName + " on " + master));
              } catch (IOException | RuntimeException e) {
                log.accept(
                    why + ": cancel of Flink job " + jobName + " on " + master + " failed: " + e);
              }
            });
    return canceling;
  }

  /** Waits (at most {@code timeout}) for a cancel sent by {@link #cancelJob}, so it is logged. */
  void awaitCancel(Duration timeout) {
    try {
      canceling.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("cancel of Flink job {} on {} did not end: {}", jobName, master, e.toString());
    }
  }

  /** Stops polling; a job not found yet (it ended between two polls) is looked up once more. */
  @Override
  public void close() {
    if (this == NONE || closed) {
      return;
    }
    closed = true;
    if (jobId.get() == null) {
      lookUp();
    }
  }

  private void pollUntilFound() {
    while (!closed && jobId.get() == null) {
      lookUp();
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void lookUp() {
    if (jobId.get() != null) {
      return;
    }
    try {
      FlinkRemoteJobs.findJobId(master, jobName)
          .ifPresent(
              id -> {
                jobId.set(id);
                log.accept(
                    "flink job "
                        + id
                        + " ("
                        + jobName
                        + ") on "
                        + master
                        + ": "
                        + FlinkRemoteJobs.webUrl(master, id));
              });
    } catch (IOException | RuntimeException e) {
      LOG.debug("no job list from {} yet: {}", master, e.toString());
    }
  }
}

package dev.ticklake.pipelines;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.Plan;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.api.java.ExecutionEnvironment;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.client.program.PerJobMiniClusterFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded Flink cluster per JVM for FlinkRunner jobs with {@code --flinkMaster=[local]}.
 *
 * <p>Why: Beam's {@code [local]} starts a new Flink MiniCluster for every job and shuts it down
 * after it (about a second each way on 2 cores, plus a full GC to size its managed memory). A
 * TickLake task is one job per micro-batch, so that second is paid on every run. Here the first job
 * starts the cluster and the next ones reuse it, the way a Spark session is reused.
 *
 * <p>How: {@link PipelineRuns#tune} turns {@code [local]} into {@code [auto]}, for which Beam asks
 * Flink's context environment; {@link #install()} makes that environment submit to this cluster.
 * The cluster has as many task slots as the job's parallelism (as Beam's {@code [local]} sizes it,
 * so each sorter gets the same managed memory; a job with another parallelism restarts it) and runs
 * one job at a time: a job that finds it busy (two tasks at once in the orchestrator) gets a
 * cluster of its own, as {@code [local]} always did.
 *
 * <p>The cluster's threads are not daemons, so an idle cluster would keep a JVM alive after its
 * main returns: it closes itself after {@value #DEFAULT_IDLE_SECONDS} s without a job (system
 * property {@value #IDLE_SECONDS_PROPERTY}), the job mains close it when they are done ({@link
 * #shutdown()}), and a shutdown hook closes it when the JVM exits.
 *
 * <p>{@code -D}{@value #REUSE_PROPERTY}{@code =false} turns it off for the JVM: {@code [local]}
 * then starts a cluster per job, as in Beam. It is a JVM setting, not a pipeline option, because
 * once Flink's context environment is set, Flink refuses to create a {@code LocalEnvironment} in
 * that JVM.
 */
public final class LocalFlinkCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);

  /** The {@code execution.target} of the environments submitting here. */
  static final String TARGET = "ticklake-shared-local";

  static final String REUSE_PROPERTY = "ticklake.localFlinkCluster.reuse";
  static final String IDLE_SECONDS_PROPERTY = "ticklake.localFlinkCluster.idleSeconds";
  static final long DEFAULT_IDLE_SECONDS = 60;

  private static final LocalFlinkCluster SHARED = new LocalFlinkCluster();
  private static boolean installed;

  private static final ScheduledExecutorService IDLE_TIMER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "ticklake-local-flink-cluster-idle");
            thread.setDaemon(true);
            return thread;
          });

  private MiniCluster cluster;
  private int slots;
  private boolean busy;
  private long jobsSubmitted;
  private long clustersStarted;
  private long ownClusterJobs;

  private LocalFlinkCluster() {}

  /**
   * Whether {@code [local]} jobs use the shared cluster (system property {@value #REUSE_PROPERTY}).
   */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(REUSE_PROPERTY, "true").trim());
  }

  /**
   * Makes Flink's {@code [auto]} environment (the context environment) submit to the shared
   * cluster. Idempotent; the first call also registers the shutdown hook that closes the cluster.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ContextEnvironment.set(LocalFlinkCluster::newEnvironment);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SHARED::closeNow, "ticklake-local-flink-cluster-shutdown"));
    installed = true;
  }

  /**
   * Whether {@link #install()} ran: Flink's context environment is set, and Flink then refuses to
   * create a local or remote environment of its own in this JVM.
   */
  public static synchronized boolean installed() {
    return installed;
  }

  /**
   * What this JVM has submitted: jobs on the shared cluster, jobs that found it busy and got a
   * cluster of their own, and how many times the shared cluster was started.
   */
  public record Stats(long sharedJobs, long ownClusterJobs, long sharedClusterStarts) {}

  public static synchronized Stats stats() {
    return new Stats(SHARED.jobsSubmitted, SHARED.ownClusterJobs, SHARED.clustersStarted);
  }

  private static ExecutionEnvironment newEnvironment() {
    Configuration configuration = new Configuration();
    configuration.set(DeploymentOptions.TARGET, TARGET);
    configuration.set(DeploymentOptions.ATTACHED, true);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new ExecutionEnvironment(
        new SharedClusterExecutors(),
        configuration,
        loader != null ? loader : LocalFlinkCluster.class.getClassLoader());
  }

  private CompletableFuture<JobClient> submit(
      Pipeline pipeline, Configuration configuration, ClassLoader userCodeClassLoader)
      throws Exception {
    if (pipeline instanceof Plan plan) {
      // As Flink's LocalExecutor: operators without their own parallelism get the job's.
      plan.setDefaultParallelism(plan.getMaximumParallelism());
    }
    JobGraph job = PipelineExecutorUtils.getJobGraph(pipeline, configuration, userCodeClassLoader);
    MiniCluster shared = acquire(job.getMaximumParallelism(), configuration);
    if (shared == null) {
      countOwnCluster();
      LOG.info("The shared local Flink cluster is busy: job {} gets its own", job.getName());
      return PerJobMiniClusterFactory.createWithFactory(
              withManagedMemory(configuration), MiniCluster::new)
          .submitJob(job, userCodeClassLoader);
    }
    CompletableFuture<JobClient> client =
        shared
            .submitJob(job)
            .<JobClient>thenApplyAsync(
                submitted -> {
                  JobID id = submitted.getJobID();
                  try {
                    ClientUtils.waitUntilJobInitializationFinished(
                        () -> shared.getJobStatus(id).get(),
                        () -> shared.requestJobResult(id).get(),
                        userCodeClassLoader);
                  } catch (Exception e) {
                    throw new IllegalStateException("Flink job " + id + " failed to start", e);
                  }
                  shared.requestJobResult(id).whenComplete((result, error) -> release());
                  return new MiniClusterJobClient(
                      id,
                      shared,
                      userCodeClassLoader,
                      MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
                });
    client.whenComplete(
        (ignored, error) -> {
          if (error != null) {
            release();
          }
        });
    return client;
  }

  /** The shared cluster, started or resized for {@code parallelism}; null when a job runs on it. */
  private synchronized MiniCluster acquire(int parallelism, Configuration configuration)
      throws Exception {
    if (busy) {
      return null;
    }
    int wanted = Math.max(1, parallelism);
    if (cluster != null && slots != wanted) {
      LOG.info("Restarting the shared local Flink cluster: {} slots instead of {}", wanted, slots);
      closeCluster();
    }
    if (cluster == null) {
      long start = System.nanoTime();
      Configuration clusterConfiguration = withManagedMemory(configuration);
      clusterConfiguration.set(RestOptions.BIND_PORT, "0");
      MiniCluster started =
          new MiniCluster(
              new MiniClusterConfiguration.Builder()
                  .setConfiguration(clusterConfiguration)
                  .setNumTaskManagers(1)
                  .setNumSlotsPerTaskManager(wanted)
                  .setRpcServiceSharing(RpcServiceSharing.SHARED)
                  .build());
      started.start();
      cluster = started;
      slots = wanted;
      clustersStarted++;
      LOG.info(
          "Started the shared local Flink cluster ({} slots) in {} ms",
          wanted,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    busy = true;
    jobsSubmitted++;
    return cluster;
  }

  private synchronized void countOwnCluster() {
    ownClusterJobs++;
  }

  private synchronized void release() {
    busy = false;
    // An idle check closes the cluster only if no job was submitted since this one ended.
    long releasedAt = jobsSubmitted;
    IDLE_TIMER.schedule(() -> closeIfIdleSince(releasedAt), idleSeconds(), TimeUnit.SECONDS);
  }

  private synchronized void closeIfIdleSince(long releasedAt) {
    if (!busy && jobsSubmitted == releasedAt && cluster != null) {
      LOG.info("Closing the shared local Flink cluster: no job for {} s", idleSeconds());
      closeCluster();
    }
  }

  private static long idleSeconds() {
    return Long.getLong(IDLE_SECONDS_PROPERTY, DEFAULT_IDLE_SECONDS);
  }

  /**
   * Closes the shared cluster if it is up and no job runs on it (a job main calls this when it is
   * done, so that its JVM exits at once). A later job starts it again.
   */
  public static void shutdown() {
    SHARED.closeWhenIdle();
  }

  private synchronized void closeWhenIdle() {
    if (!busy) {
      closeCluster();
    }
  }

  private synchronized void closeNow() {
    closeCluster();
  }

  private void closeCluster() {
    if (cluster == null) {
      return;
    }
    try {
      cluster.closeAsync().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Closing the shared local Flink cluster failed", e);
    }
    cluster = null;
  }

  /**
   * The configuration with the managed memory Beam's {@code [local]} gives a job (a fraction of the
   * free heap, 0.4 by default), unless it is set; and without Flink's leaked-class-loader check,
   * which Beam also turns off (its pipelines run from the application class loader).
   */
  private static Configuration withManagedMemory(Configuration configuration) {
    Configuration result = new Configuration(configuration);
    if (!result.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)) {
      float fraction = result.get(TaskManagerOptions.MANAGED_MEMORY_FRACTION);
      long bytes = (long) (fraction * EnvironmentInformation.getSizeOfFreeHeapMemoryWithDefrag());
      result.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, new MemorySize(bytes));
    }
    result.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    return result;
  }

  /** Hands every environment's job to the shared cluster. */
  private static final class SharedClusterExecutors
      implements PipelineExecutorServiceLoader, PipelineExecutorFactory {
    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
      return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of(TARGET);
    }

    @Override
    public String getName() {
      return TARGET;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
      return TARGET.equals(configuration.get(DeploymentOptions.TARGET));
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
      return SHARED::submit;
    }
  }

  /** Reaches Flink's protected hook for the context environment. */
  private static final class ContextEnvironment extends ExecutionEnvironment {
    private ContextEnvironment() {}

    static void set(org.apache.flink.api.java.ExecutionEnvironmentFactory factory) {
      initializeContextEnvironment(factory);
    }
  }
}

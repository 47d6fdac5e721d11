package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.exec.RunnerSettings;
import dev.ticklake.orchestrator.core.exec.SubprocessSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scheduler needs to know besides its database.
 *
 * @param loopInterval pause between scheduling passes when nothing wakes the loop (~100 ms)
 * @param dagRefreshInterval how often DAG files are re-read
 * @param heartbeatTimeout a scheduler whose heartbeat is older is dead (recovery takes over its
 *     task instances)
 * @param subprocess how the subprocess executor starts child JVMs
 * @param maxQueuedRuns how many manual runs of a DAG may wait in {@code queued} when its file does
 *     not set {@code max_queued_runs} ({@value #DEFAULT_MAX_QUEUED_RUNS} by default)
 * @param workerNice the Linux nice value of in-process tries' threads (0: the service's priority;
 *     see {@link dev.ticklake.orchestrator.core.exec.WorkerPriority})
 */
public record SchedulerSettings(
    String lakeRoot,
    String bootstrapServers,
    RunnerSettings runner,
    Optional<Path> dagsFolder,
    boolean loadShippedDags,
    int workers,
    Duration loopInterval,
    Duration dagRefreshInterval,
    Duration heartbeatTimeout,
    Duration interruptGrace,
    SubprocessSettings subprocess,
    int maxQueuedRuns,
    int workerNice) {

  public static final int DEFAULT_MAX_QUEUED_RUNS = 16;

  /**
   * Settings with the default subprocess executor ({@link SubprocessSettings#defaults()}), {@code
   * maxQueuedRuns}, and tries at the service's CPU priority.
   */
  public SchedulerSettings(
      String lakeRoot,
      String bootstrapServers,
      RunnerSettings runner,
      Optional<Path> dagsFolder,
      boolean loadShippedDags,
      int workers,
      Duration loopInterval,
      Duration dagRefreshInterval,
      Duration heartbeatTimeout,
      Duration interruptGrace) {
    this(
        lakeRoot,
        bootstrapServers,
        runner,
        dagsFolder,
        loadShippedDags,
        workers,
        loopInterval,
        dagRefreshInterval,
        heartbeatTimeout,
        interruptGrace,
        SubprocessSettings.defaults(),
        DEFAULT_MAX_QUEUED_RUNS,
        0);
  }

  public SchedulerSettings {
    Objects.requireNonNull(subprocess, "subprocess");
    Objects.requireNonNull(lakeRoot, "lakeRoot");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(dagsFolder, "dagsFolder");
    if (maxQueuedRuns < 1) {
      throw new IllegalArgumentException("maxQueuedRuns must be >= 1, got " + maxQueuedRuns);
    }
  }

  /** Defaults for tests: DirectRunner, 4 workers, 20 ms loop, 10 s heartbeat timeout. */
  public static SchedulerSettings forTests(String lakeRoot, Optional<Path> dagsFolder) {
    return new SchedulerSettings(
        lakeRoot,
        "127.0.0.1:9092",
        RunnerSettings.DIRECT,
        dagsFolder,
        false,
        4,
        Duration.ofMillis(20),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMillis(500));
  }

  public SchedulerSettings withBootstrapServers(String servers) {
    return copy(servers, loadShippedDags, subprocess, maxQueuedRuns);
  }

  public SchedulerSettings withLoadShippedDags(boolean shipped) {
    return copy(bootstrapServers, shipped, subprocess, maxQueuedRuns);
  }

  public SchedulerSettings withSubprocess(SubprocessSettings settings) {
    return copy(bootstrapServers, loadShippedDags, settings, maxQueuedRuns);
  }

  /** These settings with the parts the {@code with...} methods change. */
  private SchedulerSettings copy(
      String servers, boolean shipped, SubprocessSettings subprocessSettings, int maxQueued) {
    return new SchedulerSettings(
        lakeRoot,
        servers,
        runner,
        dagsFolder,
        shipped,
        workers,
        loopInterval,
        dagRefreshInterval,
        heartbeatTimeout,
        interruptGrace,
        subprocessSettings,
        maxQueued,
        workerNice);
  }
}

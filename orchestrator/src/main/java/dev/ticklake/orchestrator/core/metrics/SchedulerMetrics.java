package dev.ticklake.orchestrator.core.metrics;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.ticklake.orchestrator.core.scheduler.SchedulerEvents;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.RunType;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's metrics in Dropwizard's {@link MetricRegistry} (served on the admin port at
 * {@code /metrics}):
 *
 * <ul>
 *   <li>counters since this process started: {@value #RUNS_CREATED} (and {@code .scheduled}, {@code
 *       .manual}, {@code .backfill}), {@value #TRIES_SUCCEEDED}, {@value #TRIES_FAILED} (no retry
 *       left or non-retryable), {@value #TRIES_RETRIED} (went to up_for_retry);
 *   <li>gauges read from the database (so they count every scheduler on it), cached for one second:
 *       {@value #QUEUED} and {@value #RUNNING}.
 * </ul>
 */
public final class SchedulerMetrics implements SchedulerEvents {

  public static final String PREFIX = "ticklake.scheduler.";
  public static final String RUNS_CREATED = PREFIX + "runs.created";
  public static final String TRIES_SUCCEEDED = PREFIX + "tries.succeeded";
  public static final String TRIES_FAILED = PREFIX + "tries.failed";
  public static final String TRIES_RETRIED = PREFIX + "tries.retried";
  public static final String QUEUED = PREFIX + "task_instances.queued";
  public static final String RUNNING = PREFIX + "task_instances.running";

  private final Counter runsCreated;
  private final Counter scheduledRuns;
  private final Counter manualRuns;
  private final Counter backfillRuns;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter retried;

  public SchedulerMetrics(MetricRegistry registry, TaskInstanceDao tasks) {
    runsCreated = registry.counter(RUNS_CREATED);
    scheduledRuns = registry.counter(RUNS_CREATED + ".scheduled");
    manualRuns = registry.counter(RUNS_CREATED + ".manual");
    backfillRuns = registry.counter(RUNS_CREATED + ".backfill");
    succeeded = registry.counter(TRIES_SUCCEEDED);
    failed = registry.counter(TRIES_FAILED);
    retried = registry.counter(TRIES_RETRIED);
    registry.gauge(QUEUED, () -> count(tasks, TaskState.QUEUED));
    registry.gauge(RUNNING, () -> count(tasks, TaskState.RUNNING));
  }

  private static CachedGauge<Integer> count(TaskInstanceDao tasks, TaskState state) {
    return new CachedGauge<>(1, TimeUnit.SECONDS) {
      @Override
      protected Integer loadValue() {
        return tasks.countByState(state);
      }
    };
  }

  @Override
  public void runCreated(RunType type) {
    runsCreated.inc();
    switch (type) {
      case SCHEDULED -> scheduledRuns.inc();
      case MANUAL -> manualRuns.inc();
      case BACKFILL -> backfillRuns.inc();
    }
  }

  @Override
  public void tryEnded(TaskState to) {
    switch (to) {
      case SUCCESS -> succeeded.inc();
      case FAILED -> failed.inc();
      case UP_FOR_RETRY -> retried.inc();
      default -> {}
    }
  }
}

package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.SchedulerHeartbeat;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskStateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery after a scheduler crash: the task instances a dead scheduler left behind are moved on
 * with compare-and-set changes (so a concurrent change wins and is not overwritten), each with an
 * event whose actor is {@code recovery}.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** Service crashes one task instance may live through without using its retries. */
  static final int MAX_INTERRUPTED_TRIES = 5;

  private final TaskInstanceDao tasks;
  private final SchedulerHeartbeatDao heartbeats;
  private final Duration heartbeatTimeout;
  private final String schedulerId;
  private final String hostname;
  private final Predicate<Long> processAlive;

  Recovery(
      TaskInstanceDao tasks,
      SchedulerHeartbeatDao heartbeats,
      Duration heartbeatTimeout,
      String schedulerId,
      String hostname) {
    this(tasks, heartbeats, heartbeatTimeout, schedulerId, hostname, Recovery::isProcessAlive);
  }

  /** With an injected test of whether a process of this host is alive (tests). */
  Recovery(
      TaskInstanceDao tasks,
      SchedulerHeartbeatDao heartbeats,
      Duration heartbeatTimeout,
      String schedulerId,
      String hostname,
      Predicate<Long> processAlive) {
    this.tasks = tasks;
    this.heartbeats = heartbeats;
    this.heartbeatTimeout = heartbeatTimeout;
    this.schedulerId = schedulerId;
    this.hostname = hostname;
    this.processAlive = processAlive;
  }

  static boolean isProcessAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Whether the scheduler of a recent heartbeat may still be running: not when it ran on this host
   * and its process is gone (a scheduler restarted after a crash need not wait for the heartbeat
   * timeout of the process it replaces).
   */
  private boolean mayBeAlive(SchedulerHeartbeat h) {
    return !(hostname.equals(h.host()) && !processAlive.test(h.pid()));
  }

  /**
   * The move of a try the service's crash interrupted. The crash is not the task's failure: up to
   * {@value #MAX_INTERRUPTED_TRIES} interruptions of one task instance are retried at once with a
   * try given back ({@code max_tries + 1}), so even a task without retries survives a few restarts.
   * Interruptions are counted apart (recovery's events), and beyond the cap they count as failures,
   * so a task that crashes the service every time still ends.
   */
  private TaskStateChange afterCrash(TaskInstance ti, Instant now) {
    long interrupted =
        tasks.events(ti.runId(), ti.taskId()).stream()
            .filter(e -> Actor.RECOVERY.name().equals(e.actor()))
            .filter(e -> e.fromState() == TaskState.RUNNING)
            .count();
    if (interrupted < MAX_INTERRUPTED_TRIES) {
      return TaskStateChange.of(
              ti.runId(),
              ti.taskId(),
              TaskState.RUNNING,
              TaskState.UP_FOR_RETRY,
              Actor.RECOVERY,
              Scheduler.RECOVERY_REASON
                  + " (interruption "
                  + (interrupted + 1)
                  + " of at most "
                  + MAX_INTERRUPTED_TRIES
                  + ": not counted as a retry)",
              now)
          .withNextRetryAt(now)
          .withMaxTries(ti.maxTries() + 1);
    }
    String counted =
        Scheduler.RECOVERY_REASON
            + " ("
            + interrupted
            + " interruptions already: this one counts as a failed try";
    return ti.tryNumber() < ti.maxTries()
        ? TaskStateChange.of(
                ti.runId(),
                ti.taskId(),
                TaskState.RUNNING,
                TaskState.UP_FOR_RETRY,
                Actor.RECOVERY,
                counted + ")",
                now)
            .withNextRetryAt(now)
        : TaskStateChange.of(
            ti.runId(),
            ti.taskId(),
            TaskState.RUNNING,
            TaskState.FAILED,
            Actor.RECOVERY,
            counted + "; no try left)",
            now);
  }

  /**
   * Repairs task instances left {@code running} or {@code queued} by a scheduler that died: when no
   * other scheduler heartbeated within {@code heartbeatTimeout} (a heartbeat from this host whose
   * process no longer exists does not count: that scheduler is dead), every {@code running} task
   * goes to up_for_retry (retry at once, without using one of its retries: see {@link
   * #afterCrash}), and every {@code queued} one back to scheduled (its try had not started), with
   * reason {@value Scheduler#RECOVERY_REASON}. Returns how many task instances were repaired.
   */
  int run(Instant now) {
    List<SchedulerHeartbeat> alive =
        heartbeats.aliveSince(now.minus(heartbeatTimeout)).stream()
            .filter(h -> !h.schedulerId().equals(schedulerId))
            .filter(this::mayBeAlive)
            .toList();
    if (!alive.isEmpty()) {
      LOG.warn("not recovering: other schedulers are alive: {}", alive);
      return 0;
    }
    int repaired = 0;
    for (TaskInstance ti : tasks.listByState(TaskState.RUNNING, 100_000)) {
      if (tasks.compareAndSetState(afterCrash(ti, now).expectingVersion(ti.version()))) {
        repaired++;
      }
    }
    for (TaskInstance ti : tasks.listByState(TaskState.QUEUED, 100_000)) {
      if (tasks.compareAndSetState(
          TaskStateChange.of(
                  ti.runId(),
                  ti.taskId(),
                  TaskState.QUEUED,
                  TaskState.SCHEDULED,
                  Actor.RECOVERY,
                  Scheduler.RECOVERY_REASON,
                  now)
              .expectingVersion(ti.version()))) {
        repaired++;
      }
    }
    if (repaired > 0) {
      LOG.warn("recovered {} task instances left by a dead scheduler", repaired);
    }
    return repaired;
  }
}

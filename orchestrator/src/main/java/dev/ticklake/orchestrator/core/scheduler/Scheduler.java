package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.backfill.BackfillDriver;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoadResult;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.dag.ExecutorType;
import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.core.exec.ConfTemplates;
import dev.ticklake.orchestrator.core.exec.InProcessExecutor;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.RunContext;
import dev.ticklake.orchestrator.core.exec.SubprocessExecutor;
import dev.ticklake.orchestrator.core.exec.TaskExecutor;
import dev.ticklake.orchestrator.core.exec.TaskExecutors;
import dev.ticklake.orchestrator.core.exec.TaskLifecycleListener;
import dev.ticklake.orchestrator.core.exec.TaskResult;
import dev.ticklake.orchestrator.core.exec.TaskRun;
import dev.ticklake.orchestrator.core.retry.NonRetryableException;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.core.state.TriggerDecision;
import dev.ticklake.orchestrator.core.state.TriggerRuleEvaluator;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.CreatedRun;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import dev.ticklake.orchestrator.db.TaskStateChange;
import io.dropwizard.lifecycle.Managed;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: one loop that turns DAG definitions into runs and moves task instances through
 * their states. A Dropwizard {@link Managed}: {@link #start()} recovers what a dead scheduler left
 * behind, then starts the loop; {@link #stop()} ends it.
 *
 * <p>Each pass ({@link #tick()}, every {@code loopInterval} or at once when a try ends):
 *
 * <ol>
 *   <li>heartbeat row, at most once a second;
 *   <li>re-reads the DAG files every {@code dagRefreshInterval} and upserts them into {@code dag};
 *   <li>creates scheduled runs of unpaused time-based DAGs ({@link ScheduledRuns});
 *   <li>creates the runs of unfinished backfills under their own {@code max_active_runs} ({@link
 *       BackfillDriver});
 *   <li>admits queued runs to running under {@code max_active_runs}, scheduled and manual runs
 *       taking turns ({@link RunQueue}; backfill runs under their backfill's own limit);
 *   <li>for each running run, runs outside backfills first, in topological order: decides {@code
 *       none} tasks by their trigger rule (RUN: scheduled; SKIP: skipped; UPSTREAM_FAILED:
 *       upstream_failed), moves due retries to scheduled, hands scheduled tasks to their executor
 *       (in process or a child JVM, as recorded on the task instance) while it has free slots
 *       (scheduled to queued here, queued to running on the worker), and ends the run when every
 *       task is terminal: success unless a task is failed, upstream_failed or canceled.
 * </ol>
 *
 * <p>A finished try moves running to success, or to up_for_retry (with {@code next_retry_at} from
 * the task's {@link dev.ticklake.orchestrator.core.retry.RetryPolicy}) or failed when no try is
 * left or the error is non-retryable. Every change is {@link TaskInstanceDao#compareAndSetState} (a
 * CAS plus an event row); losing a CAS just means someone else moved the task first. Time comes
 * from the injected {@link Clock}.
 *
 * <p>At most {@code max_queued_runs} manual runs of a DAG wait ({@link #trigger} refuses more);
 * they never keep scheduled runs from being created. Users may cancel runs and tasks.
 *
 * <p>Paused DAGs get no new scheduled runs; runs already created (and manual triggers) still run.
 * One scheduler per database is assumed (several would not corrupt state thanks to the CAS, but
 * could both run a task's executor hand-off race: the loser's CAS fails and it does not submit).
 */
public final class Scheduler implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  public static final String RECOVERY_REASON = "recovered after scheduler restart";

  /** A run with a task instance in one of these states ends failed. */
  private static final Set<TaskState> FAILING =
      EnumSet.of(TaskState.FAILED, TaskState.UPSTREAM_FAILED, TaskState.CANCELED);

  private final SchedulerSettings settings;
  private final Clock clock;
  private final DagLoader loader;
  private final TaskExecutors executors;
  private final BackfillDriver backfills;
  private final DagDao dags;
  private final DagRunDao runs;
  private final TaskInstanceDao tasks;
  private final TryEnds tryEnds;
  private final ScheduledRuns scheduledRuns;
  private final RunQueue queue;
  private final RunCanceler canceler;
  private final Object triggerLock = new Object();
  private final SchedulerHeartbeatDao heartbeats;
  private final String schedulerId;
  private final String hostname = hostname();
  private final long pid = ProcessHandle.current().pid();
  private final Semaphore wake = new Semaphore(0);
  private volatile TaskLifecycleListener lifecycle = TaskLifecycleListener.NONE;

  private volatile Map<String, DagDefinition> loaded = Map.of();
  private volatile List<String> loadErrors = List.of();
  private Instant lastRefresh = Instant.MIN;
  private Instant lastHeartbeat = Instant.MIN;
  private volatile boolean running;
  private Thread loop;
  private volatile SchedulerEvents events = SchedulerEvents.NONE;

  public Scheduler(Jdbi jdbi, Pipelines pipelines, SchedulerSettings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loader = new DagLoader(pipelines);
    this.executors =
        new TaskExecutors(
            new InProcessExecutor(
                pipelines,
                settings.workers(),
                settings.interruptGrace(),
                clock,
                settings.workerNice()),
            new SubprocessExecutor(settings.subprocess(), settings.interruptGrace(), clock));
    this.backfills = new BackfillDriver(jdbi);
    this.dags = new DagDao(jdbi);
    this.runs = new DagRunDao(jdbi);
    this.tasks = new TaskInstanceDao(jdbi);
    this.scheduledRuns = new ScheduledRuns(dags, runs);
    this.queue = new RunQueue(runs, backfills);
    this.canceler = new RunCanceler(jdbi, runs, tasks, executors);
    this.tryEnds = new TryEnds(tasks, new TaskLogDao(jdbi), clock);
    this.heartbeats = new SchedulerHeartbeatDao(jdbi);
    this.schedulerId = "scheduler-" + hostname + "-" + pid + "-" + UUID.randomUUID();
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    refreshDags();
    recover();
    running = true;
    loop = new Thread(this::loop, "ticklake-scheduler");
    loop.setDaemon(true);
    loop.start();
    LOG.info("scheduler {} started with DAGs {}", schedulerId, loaded.keySet());
  }

  @Override
  public void stop() throws InterruptedException {
    Thread t;
    synchronized (this) {
      running = false;
      t = loop;
    }
    wake.release();
    if (t != null) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    executors.close();
  }

  private void loop() {
    while (running) {
      try {
        tick();
      } catch (RuntimeException e) {
        LOG.error("scheduler pass failed; next pass in {}", settings.loopInterval(), e);
      }
      try {
        wake.tryAcquire(settings.loopInterval().toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Sets the observer of created runs and ended tries (metrics); replaces the previous one. */
  public void setEvents(SchedulerEvents events) {
    this.events = Objects.requireNonNull(events, "events");
  }

  /** Wakes the loop for an immediate pass (a try ended, a run was triggered). */
  public void wakeUp() {
    wake.release();
  }

  // ------------------------------------------------------------------ public API

  /** The DAGs loaded by the last refresh, by id. */
  public Map<String, DagDefinition> dags() {
    return loaded;
  }

  /** Problems found in DAG files by the last refresh. */
  public List<String> dagLoadErrors() {
    return loadErrors;
  }

  public String schedulerId() {
    return schedulerId;
  }

  /** The subprocess executor (e.g. to find the child JVM of a running try). */
  public SubprocessExecutor subprocessExecutor() {
    return executors.subprocess();
  }

  /** Told when each try starts and ends (lineage); what it throws never fails a try. */
  public void setTaskLifecycleListener(TaskLifecycleListener listener) {
    this.lifecycle = TaskLifecycleListener.safe(listener);
  }

  /**
   * Creates a manual run of {@code dagId} at the clock's now, with {@code conf} (JSON text or
   * null).
   *
   * @throws UnknownDagException (a {@link java.util.NoSuchElementException}) if no such DAG is
   *     loaded
   */
  public DagRun trigger(String dagId, String conf) {
    return trigger(dagId, conf, Actor.SCHEDULER);
  }

  /**
   * {@link #trigger(String, String)} on behalf of {@code actor} (recorded in the event log).
   *
   * @throws RunRequestException 409 when {@code max_queued_runs} manual runs of the DAG are queued
   */
  public DagRun trigger(String dagId, String conf, Actor actor) {
    DagDefinition dag = loaded.get(dagId);
    if (dag == null) {
      throw new UnknownDagException(dagId);
    }
    Instant now = clock.instant();
    CreatedRun created;
    synchronized (triggerLock) { // the count and the insert of two triggers do not interleave
      queue.requireRoom(dag, settings.maxQueuedRuns());
      created = runs.createRun(NewDagRun.of(dag, now, RunType.MANUAL, conf, null, now), actor);
    }
    if (created.created()) {
      events.runCreated(RunType.MANUAL);
    }
    LOG.info("triggered {}", created.run().runId());
    wakeUp();
    return created.run();
  }

  /**
   * Cancels a queued or running run ({@link RunCanceler#cancelRun}), never during a pass.
   *
   * @throws RunRequestException 404 for an unknown run, 409 for a finished one
   */
  public synchronized CanceledRun cancelRun(String runId, Actor actor) {
    CanceledRun canceled = canceler.cancelRun(runId, actor, clock.instant());
    wakeUp();
    return canceled;
  }

  /**
   * Cancels an unfinished task instance ({@link RunCanceler#cancelTask}), never during a pass.
   *
   * @throws RunRequestException 404 for an unknown run or task, 409 for a finished task instance
   */
  public synchronized TaskInstance cancelTask(String runId, String taskId, Actor actor) {
    TaskInstance canceled = canceler.cancelTask(runId, taskId, actor, clock.instant());
    wakeUp();
    return canceled;
  }

  // ------------------------------------------------------------------ one pass

  /** One scheduling pass; public so that tests can drive the scheduler without its thread. */
  public synchronized void tick() {
    Instant now = clock.instant();
    if (!now.isBefore(lastHeartbeat.plusSeconds(1))) {
      heartbeats.beat(schedulerId, hostname, pid, now);
      lastHeartbeat = now;
    }
    if (!now.isBefore(lastRefresh.plus(settings.dagRefreshInterval()))) {
      refreshDags();
    }
    scheduledRuns.createDue(loaded.values(), now, () -> events.runCreated(RunType.SCHEDULED));
    for (int n = backfills.createRuns(now, loaded); n > 0; n--) {
      events.runCreated(RunType.BACKFILL);
    }
    queue.admitAll(loaded, now);
    for (DagRun run :
        BackfillDriver.outsideBackfillsFirst(runs.listByState(DagRunState.RUNNING, 10_000))) {
      DagDefinition dag = loaded.get(run.dagId());
      if (dag != null) {
        advance(run, dag);
      }
    }
  }

  /** Re-reads the DAG files and upserts every loaded DAG into {@code dag}. */
  public synchronized void refreshDags() {
    Instant now = clock.instant();
    DagLoadResult result = loader.load(settings.dagsFolder(), settings.loadShippedDags());
    Map<String, DagDefinition> byId = new HashMap<>();
    for (DagDefinition dag : result.dags()) {
      dags.upsert(dag.dagId(), dag.paused(), dag.source(), dag.sourceHash(), now);
      byId.put(dag.dagId(), dag);
    }
    List<String> errors = result.errors().stream().map(Object::toString).toList();
    if (!errors.equals(loadErrors)) {
      errors.forEach(e -> LOG.warn("DAG file problem: {}", e));
    }
    loadErrors = errors;
    loaded = Map.copyOf(byId);
    lastRefresh = now;
  }

  /** Moves the task instances of one running run as far as they can go now. */
  private void advance(DagRun run, DagDefinition dag) {
    Map<String, TaskInstance> byTask = new HashMap<>();
    for (TaskInstance ti : tasks.listByRun(run.runId())) {
      byTask.put(ti.taskId(), ti);
    }
    Map<String, TaskState> states = new HashMap<>();
    byTask.forEach((id, ti) -> states.put(id, ti.state()));
    for (TaskDefinition task : dag.topologicalOrder()) {
      TaskInstance ti = byTask.get(task.taskId());
      if (ti == null) {
        continue; // task added to the DAG after the run was created
      }
      Instant now = clock.instant();
      TaskState state = ti.state();
      if (state == TaskState.NONE) {
        List<TaskState> upstream =
            task.upstream().stream().map(u -> states.getOrDefault(u, TaskState.SUCCESS)).toList();
        TriggerDecision decision = TriggerRuleEvaluator.evaluate(task.triggerRule(), upstream);
        TaskState to =
            switch (decision) {
              case RUN -> TaskState.SCHEDULED;
              case SKIP -> TaskState.SKIPPED;
              case UPSTREAM_FAILED -> TaskState.UPSTREAM_FAILED;
              case WAIT -> null;
            };
        if (to != null
            && move(
                ti, to, "trigger rule " + task.triggerRule().yamlName() + ": " + decision, now)) {
          state = to;
        }
      }
      if (state == TaskState.UP_FOR_RETRY
          && ti.nextRetryAt() != null
          && !ti.nextRetryAt().isAfter(now)
          && move(ti, TaskState.SCHEDULED, "retry delay elapsed", now)) {
        state = TaskState.SCHEDULED;
      }
      if (state == TaskState.SCHEDULED && executorOf(ti, task).freeSlots() > 0) {
        state = handOff(run, task, ti, now);
      }
      states.put(task.taskId(), state);
    }
    if (states.values().stream().allMatch(TaskState::isTerminal)) {
      boolean failed = states.values().stream().anyMatch(FAILING::contains);
      DagRunState end = failed ? DagRunState.FAILED : DagRunState.SUCCESS;
      if (runs.finishIfAllTasksDone(run.runId(), end, clock.instant())) { // a clear may win
        LOG.info("run {} ended: {}", run.runId(), end);
        wakeUp(); // a slot under max_active_runs is free
      }
    }
  }

  /** A CAS on the state only, by the scheduler. */
  private boolean move(TaskInstance ti, TaskState to, String reason, Instant now) {
    return tasks.compareAndSetState(
        TaskStateChange.of(ti.runId(), ti.taskId(), ti.state(), to, Actor.SCHEDULER, reason, now));
  }

  /** scheduled -> queued -> (worker) running; returns the state the task is left in. */
  private TaskState handOff(DagRun run, TaskDefinition task, TaskInstance ti, Instant now) {
    // Re-read: the version of a task just moved by this pass is stale in ti.
    TaskInstance current = tasks.find(ti.runId(), ti.taskId()).orElseThrow();
    if (current.state() != TaskState.SCHEDULED) {
      return current.state();
    }
    boolean queued =
        tasks.compareAndSetState(
            TaskStateChange.of(
                    ti.runId(),
                    ti.taskId(),
                    TaskState.SCHEDULED,
                    TaskState.QUEUED,
                    Actor.SCHEDULER,
                    "handed to the " + task.executor().yamlName() + " executor",
                    now)
                .expectingVersion(current.version()));
    if (!queued) {
      return tasks.find(ti.runId(), ti.taskId()).map(TaskInstance::state).orElse(current.state());
    }
    int tryNumber = current.tryNumber() + 1;
    RunContext ctx =
        new RunContext(
            settings.lakeRoot(),
            settings.bootstrapServers(),
            run.runId(),
            task.taskId(),
            tryNumber,
            run.logicalTime(),
            settings.runner());
    // queued -> running before the worker starts, so a fast try cannot finish before it "ran".
    boolean started =
        tasks.compareAndSetState(
            TaskStateChange.of(
                    ti.runId(),
                    ti.taskId(),
                    TaskState.QUEUED,
                    TaskState.RUNNING,
                    Actor.WORKER,
                    "worker started try " + tryNumber,
                    clock.instant())
                .withWorker(hostname, pid));
    if (!started) {
      return TaskState.QUEUED;
    }
    Map<String, String> options = task.options();
    RuntimeException badOptions = null;
    try {
      options = ConfTemplates.render(task.options(), run.conf());
    } catch (IllegalArgumentException e) {
      badOptions = new NonRetryableException(e.getMessage(), e); // the same conf fails again
    }
    TaskRun taskRun = new TaskRun(task.pipeline(), options, ctx, task.executionTimeout());
    TaskExecutor executor = executorOf(current, task);
    TaskLifecycleListener listener = lifecycle;
    listener.onStart(run.dagId(), taskRun);
    Consumer<TaskResult> onDone =
        result -> {
          listener.onFinish(run.dagId(), taskRun, result);
          finished(task, taskRun, result);
        };
    if (badOptions != null) {
      onDone.accept(new TaskResult(null, badOptions, ""));
    } else if (!executor.submit(taskRun, onDone)) {
      // Cannot happen while this pass is the only submitter; fail safe: report as a failed try
      // (to the lifecycle listener too, which was told it started).
      onDone.accept(new TaskResult(null, new IllegalStateException("no free executor slot"), ""));
    }
    return TaskState.RUNNING;
  }

  /**
   * The executor recorded on the task instance when its run was created (what the API shows), so a
   * DAG file edited since then does not move a run's tasks to another executor; the DAG's setting
   * when the stored name is unknown.
   */
  private TaskExecutor executorOf(TaskInstance ti, TaskDefinition task) {
    return executors.forType(ExecutorType.fromYamlName(ti.executor()).orElse(task.executor()));
  }

  /** Called once per try by the executor: records the log and the outcome. */
  private void finished(TaskDefinition task, TaskRun run, TaskResult result) {
    tryEnds.record(task, run, result).ifPresent(events::tryEnded);
    wakeUp();
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Repairs task instances left {@code running} or {@code queued} by a scheduler that died (see
   * {@link Recovery}). Returns how many task instances were repaired.
   */
  public synchronized int recover() {
    return new Recovery(tasks, heartbeats, settings.heartbeatTimeout(), schedulerId, hostname)
        .run(clock.instant());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}

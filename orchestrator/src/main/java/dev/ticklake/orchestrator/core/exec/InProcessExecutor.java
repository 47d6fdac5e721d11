package dev.ticklake.orchestrator.core.exec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipeline tries on threads of this JVM: lowest latency, no isolation.
 *
 * <p>At most {@code workers} tries run at once ({@link #freeSlots()} tells the scheduler how many
 * more it may submit; {@link #submit} refuses when none is free). Each try runs on its own daemon
 * thread named {@code ticklake-worker-<run>/<task>#<try>}, at a lower CPU priority than the
 * service's request threads when {@code workerNice} is set ({@link WorkerPriority}).
 *
 * <p>The log of a try holds start and end lines, the pipeline's summary and metadata, and the stack
 * trace of a failure. (Output the pipeline writes through its own loggers goes to the service log,
 * not here; the {@link SubprocessExecutor} captures everything.)
 *
 * <p>{@code execution_timeout}: when a try runs longer, its thread is interrupted. If it ends
 * within {@code interruptGrace}, the try fails with {@link TaskTimeoutException}. If it is still
 * running, the try is failed anyway, its slot is freed and the thread is <b>abandoned</b>: a Java
 * thread cannot be killed, so it may keep running (and using CPU) until the pipeline returns, and
 * its eventual result is ignored. Delta commits are idempotent per batch (SetTransaction), so a
 * late commit of an abandoned try is skipped by the retry or recorded once. The {@link
 * SubprocessExecutor} kills the child JVM instead.
 *
 * <p>{@link #cancel}: the same as a timeout, but the try ends with a {@link TaskCanceledException}
 * (non-retryable): its thread is interrupted, and abandoned if it is still running after {@code
 * interruptGrace}. A pipeline that never checks for interruption keeps running on its abandoned
 * thread until it returns; its result is ignored.
 *
 * <p>The completion callback is called exactly once per submitted try, on a worker or timer thread.
 */
public final class InProcessExecutor implements TaskExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(InProcessExecutor.class);

  private final Pipelines pipelines;
  private final Semaphore slots;
  private final int workers;
  private final Duration interruptGrace;
  private final Clock clock;
  private final int workerNice;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ticklake-executor-timer");
            t.setDaemon(true);
            return t;
          });

  /** An executor whose tries run at the service's CPU priority. */
  public InProcessExecutor(Pipelines pipelines, int workers, Duration interruptGrace, Clock clock) {
    this(pipelines, workers, interruptGrace, clock, 0);
  }

  /**
   * {@code workerNice}: the Linux nice value of each try's thread and the threads it starts (1..19,
   * see {@link WorkerPriority}); 0 leaves them at the service's priority.
   */
  public InProcessExecutor(
      Pipelines pipelines, int workers, Duration interruptGrace, Clock clock, int workerNice) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    this.workers = workers;
    this.slots = new Semaphore(workers);
    this.interruptGrace = Objects.requireNonNull(interruptGrace, "interruptGrace");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.workerNice = workerNice;
  }

  public int workers() {
    return workers;
  }

  @Override
  public String name() {
    return "in_process";
  }

  @Override
  public int freeSlots() {
    return slots.availablePermits();
  }

  /** One party per try whose callback has not returned yet, plus one for close(). */
  private final Phaser callbacks = new Phaser(1);

  /** The Flink jobs of the flink-remote tries that run, by {@link TaskRun#key()}. */
  private final Map<String, FlinkJobTracker> flinkJobs = new ConcurrentHashMap<>();

  /** The tries that have not reported yet, by {@link TaskRun#key()}. */
  private final Map<String, RunningTry> running = new ConcurrentHashMap<>();

  /** What {@link #cancel} needs of a try that runs. */
  private record RunningTry(
      Thread worker,
      CompletableFuture<Void> ended,
      TryLog log,
      Consumer<TaskResult> reportOnce,
      AtomicReference<String> canceledBy) {}

  /**
   * Starts {@code run} if a slot is free; {@code onDone} gets its result once. Returns false (and
   * never calls {@code onDone}) when every slot is busy.
   */
  @Override
  public boolean submit(TaskRun run, Consumer<TaskResult> onDone) {
    if (!slots.tryAcquire()) {
      return false;
    }
    callbacks.register();
    TryLog log = new TryLog(clock);
    AtomicBoolean reported = new AtomicBoolean();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    AtomicReference<String> canceledBy = new AtomicReference<>();
    Consumer<TaskResult> reportOnce =
        result -> {
          if (reported.compareAndSet(false, true)) {
            running.remove(run.key());
            // The slot is free before the callback runs, so that the pass the callback wakes can
            // start the downstream task at once; close() waits for the callbacks separately.
            slots.release();
            try {
              onDone.accept(result);
            } catch (RuntimeException e) {
              LOG.error("completion callback of {} failed", run.key(), e);
            } finally {
              callbacks.arriveAndDeregister();
            }
          }
        };
    Thread worker =
        new Thread(
            () -> {
              WorkerPriority.lowerCurrentThread(workerNice);
              TaskResult result = execute(run, log, canceledBy);
              ended.complete(null);
              if (reported.get()) {
                LOG.warn("abandoned try {} ended after its timeout; result ignored", run.key());
              }
              reportOnce.accept(result);
            },
            "ticklake-worker-" + run.key());
    worker.setDaemon(true);
    running.put(run.key(), new RunningTry(worker, ended, log, reportOnce, canceledBy));
    run.timeout()
        .ifPresent(
            timeout ->
                timer.schedule(
                    () -> onTimeout(run, worker, ended, log, reportOnce),
                    timeout.toMillis(),
                    TimeUnit.MILLISECONDS));
    worker.start();
    return true;
  }

  private void onTimeout(
      TaskRun run,
      Thread worker,
      CompletableFuture<Void> ended,
      TryLog log,
      Consumer<TaskResult> reportOnce) {
    if (ended.isDone()) {
      return;
    }
    Duration timeout = run.timeout().orElseThrow();
    log.line("execution_timeout " + timeout + " exceeded: interrupting the worker thread");
    CompletableFuture<Void> flinkCancel =
        flinkJobs.getOrDefault(run.key(), FlinkJobTracker.NONE).cancelJob("execution_timeout");
    worker.interrupt();
    abandonAfterGrace(
        flinkCancel,
        () -> {
          if (ended.isDone()) {
            return; // the worker reported; execute() turned the interrupt into a failure
          }
          TaskTimeoutException e = new TaskTimeoutException(timeout, true);
          log.line("worker thread still running after " + interruptGrace + ": abandoned");
          log.error(e);
          reportOnce.accept(new TaskResult(null, e, log.text()));
        });
  }

  /**
   * Runs {@code abandon} {@code interruptGrace} after the try's Flink job (if it has one) was
   * canceled on the cluster: a worker waiting for its job returns only once the cluster has
   * answered, which on a busy machine takes longer than the grace.
   */
  private void abandonAfterGrace(CompletableFuture<Void> flinkCancel, Runnable abandon) {
    flinkCancel.whenComplete(
        (ignored, error) -> {
          try {
            timer.schedule(abandon, interruptGrace.toMillis(), TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException closing) {
            LOG.warn("executor closing: an interrupted try is not waited for");
          }
        });
  }

  /**
   * Interrupts the worker of try {@code tryKey}; if it is still running after {@code
   * interruptGrace}, reports the try as canceled and abandons the thread (as on a timeout).
   */
  @Override
  public boolean cancel(String tryKey, String why) {
    RunningTry t = running.get(tryKey);
    if (t == null || t.ended().isDone()) {
      return false;
    }
    if (!t.canceledBy().compareAndSet(null, why)) {
      return true; // canceled already
    }
    t.log().line(why + ": interrupting the worker thread");
    CompletableFuture<Void> flinkCancel =
        flinkJobs.getOrDefault(tryKey, FlinkJobTracker.NONE).cancelJob(why);
    t.worker().interrupt();
    Runnable abandon =
        () -> {
          if (t.ended().isDone()) {
            return; // the worker reported; execute() turned the interrupt into the cancel
          }
          TaskCanceledException e =
              new TaskCanceledException(
                  why + "; the worker thread did not stop when interrupted and was abandoned");
          t.log().line("worker thread still running after " + interruptGrace + ": abandoned");
          t.log().error(e);
          t.reportOnce().accept(new TaskResult(null, e, t.log().text()));
        };
    abandonAfterGrace(flinkCancel, abandon);
    return true;
  }

  private TaskResult execute(TaskRun run, TryLog log, AtomicReference<String> canceledBy) {
    RunContext ctx = run.context();
    log.line(run.startLine());
    long started = System.nanoTime();
    FlinkJobTracker flinkJob = FlinkJobTracker.start(run, log::line);
    flinkJobs.put(run.key(), flinkJob);
    try {
      Pipeline pipeline =
          pipelines
              .find(run.pipeline())
              .orElseThrow(
                  () ->
                      new dev.ticklake.orchestrator.core.retry.NonRetryableException(
                          "unknown pipeline '" + run.pipeline() + "'"));
      PipelineOutcome outcome = withFlinkJob(pipeline.run(run.options(), ctx), flinkJob);
      if (canceledBy.get() != null) {
        throw new TaskCanceledException(canceledBy.get() + " (the pipeline ended anyway)");
      }
      if (Thread.interrupted() && run.timeout().isPresent()) {
        throw new TaskTimeoutException(run.timeout().get(), false);
      }
      log.line("status " + outcome.status() + ": " + outcome.summary());
      java.util.Map<String, String> meta = new java.util.TreeMap<>(outcome.metadata());
      String detail = meta.remove(PipelineOutcome.DETAIL);
      if (!meta.isEmpty()) {
        log.line("metadata " + meta);
      }
      if (detail != null) {
        log.line("report:\n" + detail.strip());
      }
      log.line("end: success in " + millisSince(started) + " ms");
      return new TaskResult(outcome, null, log.text());
    } catch (Throwable e) {
      Throwable error = e;
      if (canceledBy.get() != null && !(e instanceof TaskCanceledException)) {
        error = new TaskCanceledException(canceledBy.get() + ": the worker thread was interrupted");
        error.initCause(e);
      } else if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
        error =
            run.timeout().isPresent() ? new TaskTimeoutException(run.timeout().get(), false) : e;
        if (error != e) {
          error.initCause(e);
        }
      }
      // its outcome belongs in this try's log (the abandon waits for it too)
      flinkJob.awaitCancel(FlinkRemoteJobs.REQUEST_TIMEOUT.plus(interruptGrace));
      log.error(error);
      String end = error instanceof TaskCanceledException ? "canceled" : "failed";
      log.line("end: " + end + " in " + millisSince(started) + " ms");
      return new TaskResult(null, error, log.text());
    } finally {
      flinkJobs.remove(run.key());
      flinkJob.close();
    }
  }

  /** {@code outcome} with the id and page of its Flink job, for flink-remote tries. */
  private static PipelineOutcome withFlinkJob(PipelineOutcome outcome, FlinkJobTracker flinkJob) {
    flinkJob.close(); // the job has ended: its id is known now if it ever ran
    Map<String, String> flink = flinkJob.metadata();
    if (flink.isEmpty()) {
      return outcome;
    }
    Map<String, String> metadata = new java.util.HashMap<>(outcome.metadata());
    metadata.putAll(flink);
    return new PipelineOutcome(outcome.status(), outcome.summary(), metadata, outcome.lineage());
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * Waits up to {@code interruptGrace} for the tries still running to report (so that their results
   * are recorded while the database is still open), then stops the timeout timer. Tries still
   * running after that are abandoned, as on a timeout.
   */
  @Override
  public void close() {
    try {
      // Every try ends and its callback (which records the end in the database) returns, or the
      // grace runs out: nothing writes after close() unless it had to give up.
      callbacks.awaitAdvanceInterruptibly(
          callbacks.arrive(), interruptGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "closing with {} tries still running or recording their end",
          callbacks.getUnarrivedParties());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }

  /** The captured log of one try; thread-safe. */
  static final class TryLog {
    private final StringBuilder sb = new StringBuilder();
    private final Clock clock;

    TryLog(Clock clock) {
      this.clock = clock;
    }

    synchronized void line(String text) {
      sb.append(clock.instant()).append(' ').append(text).append('\n');
    }

    synchronized void error(Throwable e) {
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      sb.append(clock.instant()).append(" error: ").append(w);
    }

    synchronized String text() {
      return sb.toString();
    }
  }
}

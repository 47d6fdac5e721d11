package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.transforms.util.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each try in its own child JVM: isolation (memory, crashes, static state) at the cost of a
 * JVM start (about a second). The child is the same {@code java} with the same class path as the
 * service plus {@link SubprocessSettings#jvmOptions()}, running {@link SubprocessTryMain}, which
 * runs the pipeline through the same {@link Pipelines} registry with the {@link RunContext} passed
 * in a request file.
 *
 * <p>The try's log is the parent's start/end lines around everything the child wrote to stdout and
 * stderr. The child's result file carries the {@link PipelineOutcome} or the error's class and
 * message and whether it is non-retryable ({@link ChildTryException}), so retries behave as with
 * the in-process executor. A child that exits without a result (killed, out of memory, {@code
 * System.exit}) is a failed, retryable try whose message gives the exit code (137 = SIGKILL).
 *
 * <p>{@code execution_timeout}: the process tree is terminated (SIGTERM to the descendants, then
 * the child); whatever is still alive after {@code interruptGrace} is killed (SIGKILL). The try
 * fails with {@link TaskTimeoutException}. Unlike the in-process executor, nothing is left running.
 *
 * <p>{@link #cancel}: the same termination of the process tree (SIGTERM, SIGKILL after {@code
 * interruptGrace}); the try ends with a {@link TaskCanceledException}. A job the child runs dies
 * with it: a Beam pipeline on the embedded Flink runner ({@code [local]}) lives inside the child
 * JVM; a job it submitted to a remote Flink cluster ({@code flink-remote}) is canceled there
 * through the cluster's REST API ({@link FlinkJobTracker}).
 *
 * <p>At most {@link SubprocessSettings#workers()} tries at once. {@link #close()} kills the running
 * children and reports nothing more (the next scheduler's recovery retries those tries).
 */
public final class SubprocessExecutor implements TaskExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(SubprocessExecutor.class);

  /** Longest child output kept in the log (its tail); the task_log column holds 1,000,000. */
  static final int MAX_OUTPUT_BYTES = 900_000;

  private final SubprocessSettings settings;
  private final Duration interruptGrace;
  private final Clock clock;
  private final TryOutputs outputs;
  private final Semaphore slots;
  private final Map<String, Process> running = new ConcurrentHashMap<>();

  /** Why each canceled try still running was canceled, by {@link TaskRun#key()}. */
  private final Map<String, String> canceled = new ConcurrentHashMap<>();

  /** Tries submitted and not ended, whose child JVM may not be started yet. */
  private final Set<String> submitted = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  public SubprocessExecutor(SubprocessSettings settings, Duration interruptGrace, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.interruptGrace = Objects.requireNonNull(interruptGrace, "interruptGrace");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.outputs = new TryOutputs(settings.workDir());
    this.slots = new Semaphore(settings.workers());
  }

  @Override
  public String name() {
    return "subprocess";
  }

  @Override
  public int freeSlots() {
    return closed ? 0 : slots.availablePermits();
  }

  /** The child JVM running try {@code tryKey} ({@link TaskRun#key()}), while it runs. */
  public Optional<ProcessHandle> process(String tryKey) {
    return Optional.ofNullable(running.get(tryKey)).map(Process::toHandle);
  }

  @Override
  public boolean submit(TaskRun run, Consumer<TaskResult> onDone) {
    if (closed || !slots.tryAcquire()) {
      return false;
    }
    submitted.add(run.key());
    Thread t =
        new Thread(
            () -> {
              TaskResult result;
              try {
                result = execute(run);
              } finally {
                submitted.remove(run.key());
                slots.release();
              }
              if (closed) {
                LOG.warn("executor closed: result of {} not reported", run.key());
                return;
              }
              try {
                onDone.accept(result);
              } catch (RuntimeException e) {
                LOG.error("completion callback of {} failed", run.key(), e);
              }
            },
            "ticklake-subprocess-" + run.key());
    t.setDaemon(true);
    t.start();
    return true;
  }

  /** Runs one try in a child JVM and waits for it; never throws. */
  TaskResult execute(TaskRun run) {
    InProcessExecutor.TryLog log = new InProcessExecutor.TryLog(clock);
    long started = System.nanoTime();
    Path dir = null;
    Path output = null;
    FlinkJobTracker flinkJob = FlinkJobTracker.NONE;
    try {
      Files.createDirectories(settings.workDir());
      dir = Files.createTempDirectory(settings.workDir(), "ticklake-try-");
      Path request = dir.resolve("request.json");
      Path result = dir.resolve("result.json");
      RunContext ctx = run.context();
      output = outputs.create(ctx.runId(), ctx.taskId(), ctx.tryNumber());
      ChildTryProtocol.writeRequest(request, run);
      List<String> command = command(request, result);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      running.put(run.key(), process);
      flinkJob = FlinkJobTracker.start(run, log::line);
      String canceledEarly = canceled.get(run.key());
      if (canceledEarly != null) {
        terminate(process, canceledEarly); // canceled before its child was started
      }
      log.line(
          run.startLine()
              + ", in a child JVM (pid "
              + process.pid()
              + ", options "
              + settings.jvmOptions()
              + ")");
      boolean timedOut = awaitChild(run, process, log);
      int exit = process.exitValue();
      running.remove(run.key());
      appendOutput(log, output);
      Optional<ChildTryProtocol.Result> reported = ChildTryProtocol.readResult(result);
      String canceledBy = canceled.remove(run.key());
      if (timedOut || canceledBy != null) {
        // the child's job runs on the cluster, not in the child: cancel it there too
        cancelQuietly(flinkJob, canceledBy != null ? canceledBy : "execution_timeout");
      }
      Throwable error =
          canceledBy != null
              ? new TaskCanceledException(
                  canceledBy
                      + ": the child JVM (pid "
                      + process.pid()
                      + ") and its descendants were terminated, exit code "
                      + exit)
              : childError(run, process.pid(), exit, timedOut, reported);
      if (error == null) {
        log.line("end: success in " + millisSince(started) + " ms (child exit code " + exit + ")");
        return new TaskResult(reported.get().outcome(), null, log.text());
      }
      log.line("error: " + error);
      String end = error instanceof TaskCanceledException ? "canceled" : "failed";
      log.line(
          "end: " + end + " in " + millisSince(started) + " ms (child exit code " + exit + ")");
      return new TaskResult(null, error, log.text());
    } catch (Exception e) {
      log.error(e);
      log.line("end: failed in " + millisSince(started) + " ms");
      return new TaskResult(null, e, log.text());
    } finally {
      flinkJob.close();
      canceled.remove(run.key());
      Process p = running.remove(run.key());
      if (p != null) {
        killTree(p);
      }
      deleteQuietly(dir);
      if (output != null) {
        try {
          Files.deleteIfExists(output); // its tail is in the try's log now
        } catch (IOException e) {
          LOG.warn("cannot delete {}", output, e);
        }
      }
    }
  }

  private static void cancelQuietly(FlinkJobTracker flinkJob, String why) {
    try {
      flinkJob.cancelJob(why).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("cancel of the Flink job did not end: {}", e.toString());
    }
  }

  /**
   * Waits for the child, at most the try's execution_timeout; on timeout terminates its process
   * tree (SIGTERM, SIGKILL after the grace) and answers true. Interrupted: kills the tree.
   */
  private boolean awaitChild(TaskRun run, Process process, InProcessExecutor.TryLog log)
      throws InterruptedException {
    boolean timedOut = false;
    try {
      if (run.timeout().isPresent()) {
        timedOut = !process.waitFor(run.timeout().get().toMillis(), TimeUnit.MILLISECONDS);
      } else {
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killTree(process);
      throw e;
    }
    if (timedOut) {
      log.line(
          "execution_timeout "
              + run.timeout().get()
              + " exceeded: terminating the child JVM (pid "
              + process.pid()
              + ") and its descendants");
      terminateTree(process, log);
    }
    return timedOut;
  }

  /**
   * SIGTERM to the descendants of try {@code tryKey}'s child JVM and to the child (at once, or as
   * soon as the child is started); SIGKILL to all of them after {@code interruptGrace}.
   */
  @Override
  public boolean cancel(String tryKey, String why) {
    if (!submitted.contains(tryKey)) {
      return false;
    }
    if (canceled.putIfAbsent(tryKey, why) == null) {
      Process process = running.get(tryKey); // null: execute() terminates it once started
      if (process != null) {
        terminate(process, why);
      }
    }
    return true;
  }

  private void terminate(Process process, String why) {
    LOG.info("{}: terminating the child JVM (pid {}) and its descendants", why, process.pid());
    List<ProcessHandle> descendants = process.descendants().toList();
    descendants.forEach(ProcessHandle::destroy);
    process.destroy();
    CompletableFuture.runAsync(
        () -> {
          killTree(process);
          descendants.forEach(ProcessHandle::destroyForcibly); // orphans are no descendants now
        },
        CompletableFuture.delayedExecutor(interruptGrace.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Why the try failed, or null when the child reported an outcome. */
  private static Throwable childError(
      TaskRun run,
      long pid,
      int exit,
      boolean timedOut,
      Optional<ChildTryProtocol.Result> reported) {
    if (timedOut) {
      return new TaskTimeoutException(
          run.timeout().get(), "the child JVM (pid " + pid + ") was terminated, exit code " + exit);
    }
    if (reported.isEmpty()) {
      return new ChildTryException(
          "the child JVM (pid "
              + pid
              + ") exited with code "
              + exit
              + describeExit(exit)
              + " without reporting a result");
    }
    ChildTryProtocol.Result r = reported.get();
    return r.outcome() != null
        ? null
        : ChildTryException.of(r.errorClass(), r.errorMessage(), r.nonRetryable());
  }

  List<String> command(Path request, Path result) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaBinary().toString());
    command.addAll(settings.jvmOptions());
    command.add("-cp");
    command.add(settings.classPath());
    command.add(SubprocessTryMain.class.getName());
    command.add(request.toString());
    command.add(result.toString());
    return command;
  }

  /** SIGTERM to the descendants, then the child; SIGKILL to what is left after the grace. */
  private void terminateTree(Process process, InProcessExecutor.TryLog log)
      throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    descendants.forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(interruptGrace.toMillis(), TimeUnit.MILLISECONDS)) {
      log.line("child still running after " + interruptGrace + ": killing it (SIGKILL)");
    }
    killTree(process);
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** SIGKILL to the child and its descendants; waits (bounded) for the child to be gone. */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code " (killed by signal 9, SIGKILL)"} for exit codes above 128, else empty. */
  static String describeExit(int exit) {
    if (exit <= 128 || exit >= 160) {
      return "";
    }
    int signal = exit - 128;
    String name =
        switch (signal) {
          case 9 -> ", SIGKILL";
          case 15 -> ", SIGTERM";
          case 6 -> ", SIGABRT";
          case 11 -> ", SIGSEGV";
          default -> "";
        };
    return " (killed by signal " + signal + name + ")";
  }

  private static void appendOutput(InProcessExecutor.TryLog log, Path output) throws IOException {
    String text = TryOutputs.tail(output);
    log.line(
        "child output:\n"
            + text
            + (text.endsWith("\n") || text.isEmpty() ? "" : "\n")
            + "(end of child output)");
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Directories.deleteRecursively(dir);
    } catch (UncheckedIOException e) {
      LOG.warn("cannot delete {}", dir, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Process p : running.values()) {
      LOG.warn("executor closing: killing child JVM pid {}", p.pid());
      killTree(p);
    }
  }
}

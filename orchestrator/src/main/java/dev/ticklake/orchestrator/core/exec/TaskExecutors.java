package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.dag.ExecutorType;
import java.util.Objects;

/** The executors of a scheduler, one per {@link ExecutorType}; closing closes both. */
public final class TaskExecutors implements AutoCloseable {

  private final InProcessExecutor inProcess;
  private final SubprocessExecutor subprocess;

  public TaskExecutors(InProcessExecutor inProcess, SubprocessExecutor subprocess) {
    this.inProcess = Objects.requireNonNull(inProcess, "inProcess");
    this.subprocess = Objects.requireNonNull(subprocess, "subprocess");
  }

  /** The executor of a task's {@code executor:} setting. */
  public TaskExecutor forType(ExecutorType type) {
    return switch (type) {
      case IN_PROCESS -> inProcess;
      case SUBPROCESS -> subprocess;
    };
  }

  public SubprocessExecutor subprocess() {
    return subprocess;
  }

  @Override
  public void close() {
    inProcess.close();
    subprocess.close();
  }
}

package dev.ticklake.orchestrator.core.exec;

import java.util.function.Consumer;

/**
 * Runs pipeline tries: {@link InProcessExecutor} (threads of the service) or {@link
 * SubprocessExecutor} (a child JVM per try). The scheduler picks one per task ({@code executor:} of
 * the task, else of the DAG).
 */
public interface TaskExecutor extends AutoCloseable {

  /** How many more tries {@link #submit} would accept now. */
  int freeSlots();

  /**
   * Starts {@code run} if a slot is free; {@code onDone} then gets its result exactly once (unless
   * the executor is closed first). Returns false, and never calls {@code onDone}, when no slot is
   * free.
   */
  boolean submit(TaskRun run, Consumer<TaskResult> onDone);

  /**
   * Stops the running try {@code tryKey} ({@link TaskRun#key()}) because {@code why} (e.g. {@code
   * canceled by user:admin}): it then reports a {@link TaskCanceledException}. Returns at once;
   * false when this executor runs no such try (it ended, or runs elsewhere).
   */
  boolean cancel(String tryKey, String why);

  /** Name used in events and logs, e.g. {@code in_process}. */
  String name();

  @Override
  void close();
}

package dev.ticklake.orchestrator.core.state;

/**
 * A task instance was asked to move between two states that {@link TaskStateMachine} does not
 * connect. The message names the task instance, both states, the reason given for the move and the
 * states that are reachable instead.
 */
public class IllegalStateTransitionException extends IllegalStateException {

  private final String taskInstance;
  private final TaskState from;
  private final TaskState to;

  public IllegalStateTransitionException(
      String message, String taskInstance, TaskState from, TaskState to) {
    super(message);
    this.taskInstance = taskInstance;
    this.from = from;
    this.to = to;
  }

  public String taskInstance() {
    return taskInstance;
  }

  public TaskState from() {
    return from;
  }

  public TaskState to() {
    return to;
  }
}

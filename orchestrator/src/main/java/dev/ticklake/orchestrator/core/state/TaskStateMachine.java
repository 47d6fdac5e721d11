package dev.ticklake.orchestrator.core.state;

import static dev.ticklake.orchestrator.core.state.TaskState.CANCELED;
import static dev.ticklake.orchestrator.core.state.TaskState.FAILED;
import static dev.ticklake.orchestrator.core.state.TaskState.NONE;
import static dev.ticklake.orchestrator.core.state.TaskState.QUEUED;
import static dev.ticklake.orchestrator.core.state.TaskState.RUNNING;
import static dev.ticklake.orchestrator.core.state.TaskState.SCHEDULED;
import static dev.ticklake.orchestrator.core.state.TaskState.SKIPPED;
import static dev.ticklake.orchestrator.core.state.TaskState.SUCCESS;
import static dev.ticklake.orchestrator.core.state.TaskState.UPSTREAM_FAILED;
import static dev.ticklake.orchestrator.core.state.TaskState.UP_FOR_RETRY;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The allowed state changes of a task instance. Pure and stateless; the database layer calls {@link
 * #requireAllowed} before every compare-and-set, so an illegal move is a programming error that
 * fails loudly instead of corrupting a run.
 *
 * <p>Normal moves ({@link TransitionKind#NORMAL}):
 *
 * <pre>
 * none         -> scheduled (trigger rule passed) | upstream_failed | skipped (trigger rule decided)
 * scheduled    -> queued (handed to an executor) | upstream_failed | skipped
 * queued       -> running (worker started) | scheduled (executor lost or rejected it: re-queue)
 *               | up_for_retry | failed (could not start) | upstream_failed | skipped
 * running      -> success | failed (error, timeout, zombie) | up_for_retry | skipped (task chose to)
 * up_for_retry -> scheduled (retry delay elapsed)
 * every unfinished state -> canceled (a user canceled the task or its run)
 * </pre>
 *
 * <p>Terminal states ({@link TaskState#TERMINAL}) have no normal way out. {@link
 * TransitionKind#CLEAR} moves any terminal state to {@code none}, not straight to {@code
 * scheduled}: the cleared task then goes through its trigger rule again, which matters when its
 * upstream tasks were cleared too (Airflow does the same).
 */
public final class TaskStateMachine {

  private static final Map<TaskState, Set<TaskState>> NORMAL = new EnumMap<>(TaskState.class);

  static {
    NORMAL.put(NONE, EnumSet.of(SCHEDULED, UPSTREAM_FAILED, SKIPPED, CANCELED));
    NORMAL.put(SCHEDULED, EnumSet.of(QUEUED, UPSTREAM_FAILED, SKIPPED, CANCELED));
    NORMAL.put(
        QUEUED,
        EnumSet.of(RUNNING, SCHEDULED, UP_FOR_RETRY, FAILED, UPSTREAM_FAILED, SKIPPED, CANCELED));
    NORMAL.put(RUNNING, EnumSet.of(SUCCESS, FAILED, UP_FOR_RETRY, SKIPPED, CANCELED));
    NORMAL.put(UP_FOR_RETRY, EnumSet.of(SCHEDULED, CANCELED));
    for (TaskState terminal : TaskState.TERMINAL) {
      NORMAL.put(terminal, EnumSet.noneOf(TaskState.class));
    }
  }

  private TaskStateMachine() {}

  /** The states reachable from {@code from} by a move of the given kind; unmodifiable. */
  public static Set<TaskState> allowedTargets(TaskState from, TransitionKind kind) {
    return switch (kind) {
      case NORMAL -> Collections.unmodifiableSet(NORMAL.get(from));
      case CLEAR -> from.isTerminal() ? Set.of(NONE) : Set.of();
    };
  }

  public static boolean isAllowed(TaskState from, TaskState to, TransitionKind kind) {
    return allowedTargets(from, kind).contains(to);
  }

  /**
   * Returns normally if {@code from -> to} is allowed for {@code kind}, else throws {@link
   * IllegalStateTransitionException}, e.g. {@code Task instance medallion/run1/build_gold cannot
   * move from success to running (reason: worker started): from success a normal move reaches
   * nothing (terminal; clear it to run it again)}.
   *
   * @param taskInstance how to name the task instance in the message (e.g. {@code run/task})
   */
  public static void requireAllowed(
      String taskInstance, TaskState from, TaskState to, TransitionKind kind, String reason) {
    if (isAllowed(from, to, kind)) {
      return;
    }
    Set<TaskState> targets = allowedTargets(from, kind);
    String reachable =
        targets.isEmpty()
            ? "nothing"
            : targets.stream().map(TaskState::dbName).sorted().collect(Collectors.joining(", "));
    String hint = "";
    if (kind == TransitionKind.NORMAL && from.isTerminal()) {
      hint = " (terminal; clear it to run it again)";
    } else if (kind == TransitionKind.CLEAR && !from.isTerminal()) {
      hint = " (only finished task instances can be cleared)";
    }
    throw new IllegalStateTransitionException(
        String.format(
            "Task instance %s cannot move from %s to %s (reason: %s): from %s a %s move reaches"
                + " %s%s",
            taskInstance,
            from.dbName(),
            to.dbName(),
            reason,
            from.dbName(),
            kind == TransitionKind.NORMAL ? "normal" : "clear",
            reachable,
            hint),
        taskInstance,
        from,
        to);
  }

  /** Convenience for {@link TransitionKind#NORMAL} moves. */
  public static void requireAllowed(
      String taskInstance, TaskState from, TaskState to, String reason) {
    requireAllowed(taskInstance, from, to, TransitionKind.NORMAL, reason);
  }
}

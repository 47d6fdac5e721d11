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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskStateMachineTest {

  /** Written out independently of the implementation: the normal moves. */
  private static final Map<TaskState, Set<TaskState>> EXPECTED_NORMAL =
      Map.of(
          NONE, EnumSet.of(SCHEDULED, UPSTREAM_FAILED, SKIPPED, CANCELED),
          SCHEDULED, EnumSet.of(QUEUED, UPSTREAM_FAILED, SKIPPED, CANCELED),
          QUEUED,
              EnumSet.of(
                  RUNNING, SCHEDULED, UP_FOR_RETRY, FAILED, UPSTREAM_FAILED, SKIPPED, CANCELED),
          RUNNING, EnumSet.of(SUCCESS, FAILED, UP_FOR_RETRY, SKIPPED, CANCELED),
          UP_FOR_RETRY, EnumSet.of(SCHEDULED, CANCELED),
          SUCCESS, EnumSet.noneOf(TaskState.class),
          FAILED, EnumSet.noneOf(TaskState.class),
          UPSTREAM_FAILED, EnumSet.noneOf(TaskState.class),
          SKIPPED, EnumSet.noneOf(TaskState.class),
          CANCELED, EnumSet.noneOf(TaskState.class));

  static Stream<Arguments> allPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        pairs.add(Arguments.of(from, to));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("allPairs")
  void normalMovesFollowTheTable(TaskState from, TaskState to) {
    boolean expected = EXPECTED_NORMAL.get(from).contains(to);

    assertThat(TaskStateMachine.isAllowed(from, to, TransitionKind.NORMAL)).isEqualTo(expected);
    if (expected) {
      assertThatCode(() -> TaskStateMachine.requireAllowed("r1/t1", from, to, "test"))
          .doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> TaskStateMachine.requireAllowed("r1/t1", from, to, "test"))
          .isInstanceOf(IllegalStateTransitionException.class)
          .hasMessageStartingWith(
              "Task instance r1/t1 cannot move from "
                  + from.dbName()
                  + " to "
                  + to.dbName()
                  + " (reason: test): from "
                  + from.dbName()
                  + " a normal move reaches ");
    }
  }

  @ParameterizedTest(name = "clear {0} -> {1}")
  @MethodSource("allPairs")
  void clearMovesOnlyTerminalStatesToNone(TaskState from, TaskState to) {
    boolean expected = from.isTerminal() && to == NONE;

    assertThat(TaskStateMachine.isAllowed(from, to, TransitionKind.CLEAR)).isEqualTo(expected);
    if (!expected) {
      assertThatThrownBy(
              () -> TaskStateMachine.requireAllowed("r1/t1", from, to, TransitionKind.CLEAR, "x"))
          .isInstanceOf(IllegalStateTransitionException.class)
          .hasMessageStartingWith(
              "Task instance r1/t1 cannot move from " + from.dbName() + " to " + to.dbName());
    }
  }

  @Test
  void messageOfATerminalStateSuggestsClearing() {
    assertThatThrownBy(
            () ->
                TaskStateMachine.requireAllowed(
                    "medallion/run1/build_gold", SUCCESS, RUNNING, "worker started"))
        .isInstanceOf(IllegalStateTransitionException.class)
        .hasMessage(
            "Task instance medallion/run1/build_gold cannot move from success to running (reason:"
                + " worker started): from success a normal move reaches nothing (terminal; clear it"
                + " to run it again)")
        .satisfies(
            e -> {
              IllegalStateTransitionException ex = (IllegalStateTransitionException) e;
              assertThat(ex.taskInstance()).isEqualTo("medallion/run1/build_gold");
              assertThat(ex.from()).isEqualTo(SUCCESS);
              assertThat(ex.to()).isEqualTo(RUNNING);
            });
  }

  @Test
  void messageListsTheReachableStates() {
    assertThatThrownBy(() -> TaskStateMachine.requireAllowed("r/t", RUNNING, QUEUED, "requeue"))
        .hasMessage(
            "Task instance r/t cannot move from running to queued (reason: requeue): from running"
                + " a normal move reaches canceled, failed, skipped, success, up_for_retry");
    assertThatThrownBy(
            () ->
                TaskStateMachine.requireAllowed(
                    "r/t", RUNNING, NONE, TransitionKind.CLEAR, "user cleared"))
        .hasMessage(
            "Task instance r/t cannot move from running to none (reason: user cleared): from"
                + " running a clear move reaches nothing (only finished task instances can be"
                + " cleared)");
  }

  @Test
  void namedSetsPartitionTheStates() {
    assertThat(TaskState.TERMINAL)
        .containsExactlyInAnyOrder(SUCCESS, FAILED, UPSTREAM_FAILED, SKIPPED, CANCELED);
    assertThat(TaskState.UNFINISHED)
        .containsExactlyInAnyOrder(NONE, SCHEDULED, QUEUED, RUNNING, UP_FOR_RETRY);
    Set<TaskState> union = EnumSet.copyOf(TaskState.TERMINAL);
    union.addAll(TaskState.UNFINISHED);
    assertThat(union).containsExactlyInAnyOrder(TaskState.values());
  }

  @Test
  void dbNamesRoundTrip() {
    for (TaskState s : TaskState.values()) {
      assertThat(TaskState.fromDbName(s.dbName())).isEqualTo(s);
    }
    assertThat(UP_FOR_RETRY.dbName()).isEqualTo("up_for_retry");
    assertThatThrownBy(() -> TaskState.fromDbName("done"))
        .hasMessage(
            "Unknown task state 'done' (known: none, scheduled, queued, running, success, failed,"
                + " up_for_retry, upstream_failed, skipped, canceled)");
  }

  @Test
  void dagRunStatesMoveForwardAndBackToQueuedOnlyWhenFinished() {
    assertThat(DagRunState.QUEUED.canMoveTo(DagRunState.RUNNING)).isTrue();
    assertThat(DagRunState.QUEUED.canMoveTo(DagRunState.FAILED)).isTrue();
    assertThat(DagRunState.QUEUED.canMoveTo(DagRunState.SUCCESS)).isFalse();
    assertThat(DagRunState.RUNNING.canMoveTo(DagRunState.SUCCESS)).isTrue();
    assertThat(DagRunState.RUNNING.canMoveTo(DagRunState.FAILED)).isTrue();
    assertThat(DagRunState.RUNNING.canMoveTo(DagRunState.QUEUED)).isFalse();
    assertThat(DagRunState.SUCCESS.canMoveTo(DagRunState.QUEUED)).isTrue();
    assertThat(DagRunState.SUCCESS.canMoveTo(DagRunState.RUNNING)).isFalse();
    assertThat(DagRunState.FAILED.canMoveTo(DagRunState.QUEUED)).isTrue();
    assertThat(DagRunState.FAILED.canMoveTo(DagRunState.SUCCESS)).isFalse();
    assertThat(DagRunState.QUEUED.canMoveTo(DagRunState.CANCELED)).isTrue();
    assertThat(DagRunState.RUNNING.canMoveTo(DagRunState.CANCELED)).isTrue();
    assertThat(DagRunState.SUCCESS.canMoveTo(DagRunState.CANCELED)).isFalse();
    assertThat(DagRunState.FAILED.canMoveTo(DagRunState.CANCELED)).isFalse();
    assertThat(DagRunState.CANCELED.canMoveTo(DagRunState.QUEUED)).isTrue();
    assertThat(DagRunState.CANCELED.canMoveTo(DagRunState.RUNNING)).isFalse();
    assertThat(DagRunState.TERMINAL)
        .containsExactlyInAnyOrder(DagRunState.SUCCESS, DagRunState.FAILED, DagRunState.CANCELED);
  }
}

package dev.ticklake.orchestrator.core.clear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.TaskInstance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClearPlannerTest {

  // a -> b -> d, a -> c -> d, e alone
  private static final DagDefinition DAG =
      new DagLoader(Pipelines.standard())
          .loadOne(
              "diamond.yml",
              """
              dag_id: diamond
              tasks:
                - {task_id: a, pipeline: noop}
                - {task_id: b, pipeline: noop, upstream: [a]}
                - {task_id: c, pipeline: noop, upstream: [a]}
                - {task_id: d, pipeline: noop, upstream: [b, c]}
                - {task_id: e, pipeline: noop}
              """
                  .getBytes(StandardCharsets.UTF_8))
          .dag("diamond")
          .orElseThrow();

  private static List<TaskInstance> run(Map<String, TaskState> states) {
    return states.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                new TaskInstance(
                    "r1",
                    e.getKey(),
                    e.getValue(),
                    1,
                    1,
                    "in_process",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    3))
        .toList();
  }

  private static final Map<String, TaskState> FAILED_RUN =
      Map.of(
          "a", TaskState.SUCCESS,
          "b", TaskState.FAILED,
          "c", TaskState.SUCCESS,
          "d", TaskState.UPSTREAM_FAILED,
          "e", TaskState.SKIPPED);

  private static List<String> plan(Map<String, TaskState> states, ClearRequest request) {
    return ClearPlanner.plan(DAG, run(states), request).stream().map(TaskInstance::taskId).toList();
  }

  private static ClearRequest tasks(boolean onlyFailed, boolean downstream, String... ids) {
    return new ClearRequest(Optional.of(List.of(ids)), onlyFailed, downstream, "test");
  }

  @Test
  void wholeRunInTopologicalOrder() {
    assertThat(plan(FAILED_RUN, ClearRequest.wholeRun("x")))
        .containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void onlyFailedKeepsFailedAndUpstreamFailed() {
    assertThat(plan(FAILED_RUN, new ClearRequest(Optional.empty(), true, false, "x")))
        .containsExactly("b", "d");
  }

  @Test
  void namedTasksWithAndWithoutDownstream() {
    assertThat(plan(FAILED_RUN, tasks(false, false, "c"))).containsExactly("c");
    assertThat(plan(FAILED_RUN, tasks(false, true, "c"))).containsExactly("c", "d");
    assertThat(plan(FAILED_RUN, tasks(false, true, "a"))).containsExactly("a", "b", "c", "d");
    assertThat(plan(FAILED_RUN, tasks(true, true, "a"))).containsExactly("b", "d");
  }

  @Test
  void nothingFailedIsAnEmptyPlan() {
    Map<String, TaskState> ok =
        Map.of(
            "a", TaskState.SUCCESS,
            "b", TaskState.SUCCESS,
            "c", TaskState.SUCCESS,
            "d", TaskState.SUCCESS,
            "e", TaskState.SUCCESS);
    assertThat(plan(ok, new ClearRequest(Optional.empty(), true, false, "x"))).isEmpty();
  }

  @Test
  void unknownTasksAreNotFoundWithTheKnownOnesListed() {
    assertThatThrownBy(() -> plan(FAILED_RUN, tasks(false, false, "zz", "b", "yy")))
        .isInstanceOf(ClearException.class)
        .hasMessage("no task yy, zz in run r1 (tasks: a, b, c, d, e)")
        .extracting(e -> ((ClearException) e).kind())
        .isEqualTo(ClearException.Kind.NOT_FOUND);
  }

  @Test
  void unfinishedTaskInstancesAreAConflict() {
    Map<String, TaskState> running =
        Map.of(
            "a", TaskState.SUCCESS,
            "b", TaskState.RUNNING,
            "c", TaskState.FAILED,
            "d", TaskState.NONE,
            "e", TaskState.UP_FOR_RETRY);
    assertThatThrownBy(() -> plan(running, tasks(false, true, "a")))
        .isInstanceOf(ClearException.class)
        .hasMessage(
            "cannot clear unfinished task instances: b (running), d (none); wait until they"
                + " finish, or clear only the finished ones (taskIds or onlyFailed)")
        .extracting(e -> ((ClearException) e).kind())
        .isEqualTo(ClearException.Kind.CONFLICT);
    // the finished ones alone are fine
    assertThat(plan(running, new ClearRequest(Optional.empty(), true, false, "x")))
        .containsExactly("c");
  }
}

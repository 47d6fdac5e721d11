package dev.ticklake.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.core.clear.ClearException;
import dev.ticklake.orchestrator.core.clear.ClearRequest;
import dev.ticklake.orchestrator.core.clear.RunClearer;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link RunClearer} and {@link DagRunDao#finishIfAllTasksDone} on H2 and PostgreSQL. */
@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class RunClearerTest extends DatabaseTest {

  private static final DagDefinition DAG =
      new DagLoader(Pipelines.standard())
          .loadOne(
              "chain.yml",
              """
              dag_id: chain
              tasks:
                - {task_id: a, pipeline: noop, retries: 2}
                - {task_id: b, pipeline: noop, upstream: [a]}
                - {task_id: c, pipeline: noop, upstream: [b]}
              """
                  .getBytes(StandardCharsets.UTF_8))
          .dag("chain")
          .orElseThrow();

  private static final Actor ALICE = Actor.user("alice");

  private DagRunDao runs;
  private TaskInstanceDao tasks;
  private RunClearer clearer;
  private String runId;

  RunClearerTest(TestDatabase database) {
    super(database);
  }

  @BeforeEach
  void aFailedRun() {
    runs = new DagRunDao(jdbi);
    tasks = new TaskInstanceDao(jdbi);
    clearer = new RunClearer(jdbi, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
    runId =
        runs.createRun(
                new NewDagRun(
                    "chain",
                    T0,
                    RunType.MANUAL,
                    null,
                    null,
                    T0,
                    List.of(
                        new NewDagRun.Task("a", 3, "in_process"),
                        new NewDagRun.Task("b", 1, "in_process"),
                        new NewDagRun.Task("c", 1, "in_process"))),
                Actor.SCHEDULER)
            .run()
            .runId();
    runs.compareAndSetState(runId, DagRunState.QUEUED, DagRunState.RUNNING, T0);
    // a: three failed tries; b: upstream_failed; c: upstream_failed
    for (int i = 1; i <= 3; i++) {
      move("a", state("a"), TaskState.SCHEDULED); // from none, then from up_for_retry
      move("a", TaskState.SCHEDULED, TaskState.QUEUED);
      move("a", TaskState.QUEUED, TaskState.RUNNING);
      if (i < 3) {
        tasks.compareAndSetState(
            TaskStateChange.of(
                    runId, "a", TaskState.RUNNING, TaskState.UP_FOR_RETRY, Actor.WORKER, "x", T0)
                .withNextRetryAt(T0));
      } else {
        move("a", TaskState.RUNNING, TaskState.FAILED);
      }
    }
    move("b", TaskState.NONE, TaskState.UPSTREAM_FAILED);
    move("c", TaskState.NONE, TaskState.UPSTREAM_FAILED);
    assertThat(runs.finishIfAllTasksDone(runId, DagRunState.FAILED, T0.plusSeconds(1))).isTrue();
  }

  private TaskState state(String task) {
    return tasks.find(runId, task).orElseThrow().state();
  }

  private void move(String task, TaskState from, TaskState to) {
    assertThat(
            tasks.compareAndSetState(
                TaskStateChange.of(runId, task, from, to, Actor.SCHEDULER, "test", T0)))
        .isTrue();
  }

  private Map<String, TaskState> states() {
    return tasks.listByRun(runId).stream()
        .collect(Collectors.toMap(TaskInstance::taskId, TaskInstance::state));
  }

  @Test
  void clearingTheWholeRunRequeuesItKeepsTryNumbersAndGrantsNewTries() {
    RunClearer.Result result = clearer.clear(DAG, runId, ClearRequest.wholeRun("rerun"), ALICE);

    assertThat(result.clearedTaskIds()).containsExactly("a", "b", "c");
    assertThat(result.run().state()).isEqualTo(DagRunState.QUEUED);
    assertThat(result.run().endedAt()).isNull();
    assertThat(states())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", TaskState.NONE, "b", TaskState.NONE, "c", TaskState.NONE));
    TaskInstance a = tasks.find(runId, "a").orElseThrow();
    assertThat(a.tryNumber()).isEqualTo(3); // the next try is 4
    assertThat(a.maxTries()).isEqualTo(6); // 3 tries so far + 3 new ones (retries: 2)
    TaskEvent last = tasks.events(runId, "a").get(tasks.events(runId, "a").size() - 1);
    assertThat(last.fromState()).isEqualTo(TaskState.FAILED);
    assertThat(last.toState()).isEqualTo(TaskState.NONE);
    assertThat(last.actor()).isEqualTo("user:alice");
    assertThat(last.reason()).isEqualTo("cleared: rerun");
    assertThat(last.tryNumber()).isEqualTo(3);
    assertThat(last.at()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void onlyFailedWithATaskAndItsDownstream() {
    RunClearer.Result result =
        clearer.clear(
            DAG, runId, new ClearRequest(Optional.of(List.of("b")), true, true, "why"), ALICE);

    assertThat(result.clearedTaskIds()).containsExactly("b", "c");
    assertThat(states())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", TaskState.FAILED, "b", TaskState.NONE, "c", TaskState.NONE));
  }

  @Test
  void unknownRunOrTaskIsNotFoundAndChangesNothing() {
    Map<String, TaskState> before = states();
    assertThatThrownBy(() -> clearer.clear(DAG, "nope", ClearRequest.wholeRun("x"), ALICE))
        .isInstanceOf(ClearException.class)
        .hasMessage("no run 'nope' of DAG 'chain'")
        .extracting(e -> ((ClearException) e).kind())
        .isEqualTo(ClearException.Kind.NOT_FOUND);
    assertThatThrownBy(
            () ->
                clearer.clear(
                    DAG,
                    runId,
                    new ClearRequest(Optional.of(List.of("a", "zz")), false, false, "x"),
                    ALICE))
        .isInstanceOf(ClearException.class)
        .hasMessage("no task zz in run " + runId + " (tasks: a, b, c)");
    assertThat(states()).isEqualTo(before);
    assertThat(runs.find(runId).orElseThrow().state()).isEqualTo(DagRunState.FAILED);
  }

  @Test
  void aRunDoesNotEndWhileATaskIsUnfinished() {
    clearer.clear(
        DAG, runId, new ClearRequest(Optional.of(List.of("c")), false, false, "x"), ALICE);
    runs.compareAndSetState(runId, DagRunState.QUEUED, DagRunState.RUNNING, T0);

    assertThat(runs.finishIfAllTasksDone(runId, DagRunState.SUCCESS, T0)).isFalse();
    assertThat(runs.find(runId).orElseThrow().state()).isEqualTo(DagRunState.RUNNING);

    move("c", TaskState.NONE, TaskState.UPSTREAM_FAILED);
    assertThat(runs.finishIfAllTasksDone(runId, DagRunState.FAILED, T0.plusSeconds(2))).isTrue();
    assertThat(runs.find(runId).orElseThrow().endedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(runs.finishIfAllTasksDone(runId, DagRunState.FAILED, T0)).isFalse(); // not running
  }

  @Test
  void countsTaskInstancesByState() {
    assertThat(tasks.countByState(TaskState.UPSTREAM_FAILED)).isEqualTo(2);
    assertThat(tasks.countByState(TaskState.FAILED)).isEqualTo(1);
    assertThat(tasks.countByState(TaskState.RUNNING)).isZero();
  }
}

package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.TaskInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandOffLatencyTest {
  @TempDir Path tmp;
  static final Instant T = Instant.parse("2026-11-21T12:00:00Z");

  private static TaskInstance ti(String id, Instant started, Instant ended) {
    return new TaskInstance(
        "r",
        id,
        TaskState.SUCCESS,
        1,
        1,
        "in_process",
        "h",
        1L,
        started,
        started,
        ended,
        null,
        null,
        3);
  }

  @Test
  void aJoinIsMeasuredFromItsLastUpstreamAndUnstartedTasksAreLeftOut() throws Exception {
    Files.writeString(
        tmp.resolve("d.yml"),
        """
        dag_id: d
        tasks:
          - {task_id: a, pipeline: noop}
          - {task_id: b, pipeline: noop}
          - {task_id: join, pipeline: noop, upstream: [a, b]}
          - {task_id: after, pipeline: noop, upstream: [join]}
          - {task_id: never, pipeline: noop, upstream: [after]}
        """);
    DagDefinition dag =
        new DagLoader(SchedulerBench.pipelines()).load(Optional.of(tmp), false).dags().get(0);
    List<TaskInstance> tis =
        List.of(
            ti("a", T, T.plusMillis(10)),
            ti("b", T, T.plusMillis(30)),
            ti("join", T.plusMillis(42), T.plusMillis(50)),
            ti("after", T.plusMillis(51), null),
            ti("never", null, null));
    assertThat(HandOffLatency.millis(dag, tis)).containsExactly(12.0, 1.0);
  }
}

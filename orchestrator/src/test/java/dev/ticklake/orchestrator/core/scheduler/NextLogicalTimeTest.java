package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NextLogicalTimeTest {

  private static DagDefinition dag(String schedule, boolean catchup) {
    String yaml =
        "dag_id: d\nschedule: \""
            + schedule
            + "\"\nstart_date: 2020-01-01T00:00:00Z\ncatchup: "
            + catchup
            + "\ntasks:\n  - {task_id: a, pipeline: noop}\n";
    return new DagLoader(Pipelines.standard())
        .loadOne("d.yml", yaml.getBytes(StandardCharsets.UTF_8))
        .dags()
        .get(0);
  }

  private static Optional<Instant> next(DagDefinition dag, Instant last, Instant now) {
    return NextLogicalTime.of(dag, dag.startDate().orElseThrow(), Optional.ofNullable(last), now);
  }

  @Test
  void withoutCatchupAFarBehindIntervalJumpsToTheLatestDueFireTime() {
    DagDefinition dag = dag("5s", false);
    assertThat(next(dag, null, Instant.parse("2026-11-21T12:00:07Z")))
        .contains(Instant.parse("2026-11-21T12:00:05Z"));
  }

  @Test
  void withoutCatchupAFarBehindCronLandsOnARealFireTime() {
    DagDefinition dag = dag("0 9 * * 1-5", false); // weekdays at 09:00
    // 2026-11-21 is a Saturday: the latest fire time is Friday 09:00.
    assertThat(next(dag, null, Instant.parse("2026-11-21T12:00:00Z")))
        .contains(Instant.parse("2026-11-20T09:00:00Z"));
  }

  @Test
  void withCatchupTheNextFireTimeAfterTheLastRun() {
    DagDefinition dag = dag("1h", true);
    assertThat(
            next(dag, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-11-21T12:00:00Z")))
        .contains(Instant.parse("2026-01-01T01:00:00Z"));
    assertThat(
            next(dag, Instant.parse("2026-11-21T12:00:00Z"), Instant.parse("2026-11-21T12:30:00Z")))
        .isEmpty();
  }
}

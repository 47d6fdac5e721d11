package dev.ticklake.orchestrator.core.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoadResult;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackfillPlanTest {

  private static DagDefinition dag(String header) {
    DagLoadResult r =
        new DagLoader(Pipelines.standard())
            .loadOne(
                "dags/t.yml",
                ("dag_id: t\n" + header + "tasks:\n  - {task_id: a, pipeline: noop}\n")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(r.errors()).isEmpty();
    return r.dags().get(0);
  }

  private static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void anIntervalScheduleGivesEveryAlignedTimeInTheClosedRange() {
    DagDefinition d = dag("schedule: 1h\nstart_date: 2026-01-01T00:30:00Z\n");
    Instant from = t("2026-01-01T01:00:00Z");
    Instant to = t("2026-01-01T04:30:00Z");

    assertThat(BackfillPlan.logicalTimes(d, from, to))
        .containsExactly(
            t("2026-01-01T01:30:00Z"),
            t("2026-01-01T02:30:00Z"),
            t("2026-01-01T03:30:00Z"),
            t("2026-01-01T04:30:00Z"));
    assertThat(BackfillPlan.of(d, from, to, 100))
        .isEqualTo(new BackfillPlan(t("2026-01-01T01:30:00Z"), 4));
  }

  @Test
  void aCronScheduleAndTheStartDateBoundTheTimes() {
    DagDefinition d = dag("schedule: \"0 6 * * *\"\nstart_date: 2026-01-03\n");

    assertThat(BackfillPlan.logicalTimes(d, t("2026-01-01T00:00:00Z"), t("2026-01-05T06:00:00Z")))
        .containsExactly(
            t("2026-01-03T06:00:00Z"), t("2026-01-04T06:00:00Z"), t("2026-01-05T06:00:00Z"));
    assertThat(BackfillPlan.of(d, t("2026-01-04T06:00:00Z"), t("2026-01-04T06:00:00Z"), 1))
        .isEqualTo(new BackfillPlan(t("2026-01-04T06:00:00Z"), 1));
  }

  @Test
  void rejectsManualAndDataAwareSchedulesBadRangesEmptyRangesAndTooManyRuns() {
    Instant a = t("2026-01-01T00:00:00Z");
    Instant b = t("2026-01-02T00:00:00Z");
    assertThatThrownBy(() -> BackfillPlan.of(dag(""), a, b, 10))
        .isInstanceOf(BackfillRequestException.class)
        .hasMessageStartingWith("DAG 't' has no schedule (manual only)");
    assertThatThrownBy(
            () -> BackfillPlan.of(dag("schedule: {datasets: [silver/ticks]}\n"), a, b, 10))
        .hasMessageStartingWith("DAG 't' is data-aware (datasets [silver/ticks])");
    DagDefinition hourly = dag("schedule: 1h\nstart_date: 2026-01-01\n");
    assertThatThrownBy(() -> BackfillPlan.of(hourly, b, a, 10))
        .hasMessage(
            "from (2026-01-02T00:00:00Z) is after to (2026-01-01T00:00:00Z): give a range with"
                + " from <= to");
    assertThatThrownBy(
            () -> BackfillPlan.of(hourly, t("2026-01-01T00:10:00Z"), t("2026-01-01T00:20:00Z"), 10))
        .hasMessageContaining("nothing to backfill");
    assertThatThrownBy(() -> BackfillPlan.of(hourly, a, b, 24))
        .hasMessageContaining("holds more than 24 logical times");
    assertThat(BackfillPlan.of(hourly, a, b, 25).count()).isEqualTo(25);
    BackfillRequestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BackfillRequestException.class, () -> BackfillPlan.of(hourly, b, a, 10));
    assertThat(e.status()).isEqualTo(400);
  }
}

package dev.ticklake.orchestrator.core.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.RunType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackfillDriverTest {

  private static DagRun run(String id, RunType type, Long backfillId) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new DagRun(id, "d", t, type, DagRunState.RUNNING, null, backfillId, t, t, null);
  }

  @Test
  void runsOutsideBackfillsGetExecutorSlotsFirstInTheirOwnOrder() {
    DagRun b1 = run("b1", RunType.BACKFILL, 1L);
    DagRun s1 = run("s1", RunType.SCHEDULED, null);
    DagRun b2 = run("b2", RunType.BACKFILL, 2L);
    DagRun m1 = run("m1", RunType.MANUAL, null);

    assertThat(BackfillDriver.outsideBackfillsFirst(List.of(b1, s1, b2, m1)))
        .containsExactly(s1, m1, b1, b2);
  }
}

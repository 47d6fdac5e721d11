package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler suite on a few runs: real scheduler and H2; every hand-off measured once. */
class SchedulerBenchTest {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void measuresEveryHandOffOfEveryRun() throws Exception {
    List<String> table = new ArrayList<>();
    Map<String, Object> json =
        new SchedulerBench(tmp, 6, new PrintStream(OutputStream.nullOutputStream())).measure(table);

    Map<String, Object> dags = (Map<String, Object>) json.get("dags");
    Map<String, Object> chain = (Map<String, Object>) dags.get("bench_chain");
    Map<String, Object> wide = (Map<String, Object>) dags.get("bench_wide");
    assertThat(chain).containsEntry("tasks", 10).containsEntry("runs", 6);
    assertThat(wide).containsEntry("tasks", 10).containsEntry("maxActiveRuns", 1);
    // chain: 9 downstream tasks per run; wide: 8 parallel + the join.
    assertThat((Map<String, Object>) chain.get("handOff")).containsEntry("count", 54L);
    assertThat((Map<String, Object>) wide.get("handOff")).containsEntry("count", 54L);
    assertThat((Map<String, Object>) json.get("handOff")).containsEntry("count", 108L);
    assertThat((Double) chain.get("runsPerMinute")).isPositive();
    assertThat(((Number) ((Map<String, Object>) json.get("handOff")).get("p50Ms")).doubleValue())
        .isGreaterThanOrEqualTo(0);
    assertThat(table).hasSize(3);
    assertThat(table.get(2)).startsWith("all hand-offs p50 ");
  }
}

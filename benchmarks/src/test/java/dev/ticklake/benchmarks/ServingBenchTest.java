package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving suite's part A on a tiny lake (3 symbols x 2 days x 5 bars): it builds the lake,
 * checks every query's row count itself and reports every figure with its target (none asserted).
 */
class ServingBenchTest {
  @TempDir Path dir;

  @Test
  void reportsWarmColdAndRawScanWithTargets() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    Map<String, Object> json =
        new ServingBench(dir, 3, 2, 5, 4, 2, new PrintStream(log, true, StandardCharsets.UTF_8))
            .measure(lines);

    assertThat(json)
        .containsEntry("symbols", 3)
        .containsEntry("days", 2)
        .containsEntry("rowsPerQuery", 10L)
        .containsKeys(
            "filesPerQuery",
            "firstQueryMs",
            "rawParquetScanRowsPerSecond",
            "coldRowsPerSecondAtP50");
    // one partition per symbol and day; the DirectRunner's bundles may split a partition's rows
    assertThat((int) json.get("filesPerQuery")).isGreaterThanOrEqualTo(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> warm = (Map<String, Object>) json.get("warm");
    @SuppressWarnings("unchecked")
    Map<String, Object> cold = (Map<String, Object>) json.get("cold");
    assertThat(warm).containsEntry("count", 4L).containsEntry("p95TargetMs", 30.0);
    assertThat(cold).containsEntry("count", 2L).containsEntry("p95TargetMs", 300.0);
    assertThat(String.join("\n", lines))
        .contains("warm (result cache)")
        .contains("cold (first after commit)")
        .contains("<= 30 ms: ")
        .contains("<= 300 ms: ")
        .contains("raw Parquet scan");
  }

  @Test
  void saysWhetherATargetIsMet() {
    assertThat(ServingBench.metOrNot(29.9, 30)).isEqualTo("met");
    assertThat(ServingBench.metOrNot(30, 30)).isEqualTo("met");
    assertThat(ServingBench.metOrNot(30.1, 30)).isEqualTo("NOT met");
    assertThat(ServingBench.metOrNot(Double.NaN, 30)).isEqualTo("no samples");
  }
}

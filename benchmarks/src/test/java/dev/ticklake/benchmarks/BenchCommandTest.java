package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.benchmarks.pipelines.Benchmark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  @Test
  void everyPipelineBenchmarkOptionIsAFlag() {
    List<String> names =
        BenchCommand.optionGetters().stream().map(BenchCommand::optionName).toList();
    assertThat(names)
        .contains(
            "suites",
            "runners",
            "workers",
            "repeats",
            "out",
            "workDir",
            "rows",
            "events",
            "warmupEvents",
            "medallionRunners",
            "schedulerRuns",
            "freshnessSeconds",
            "freshnessGraceSeconds",
            "feedRate",
            "freshnessRunner",
            "demoJavaOpts",
            "historySymbols",
            "historyYears",
            "historyCases")
        .doesNotContain("runner", "jobName", "appName");
  }

  @Test
  void givenFlagsPassThroughAndAllSuitesRunByDefault() {
    Map<String, Object> parsed = new HashMap<>();
    parsed.put("freshnessSeconds", "30");
    parsed.put("out", "x.json");
    assertThat(BenchCommand.toOptionArgs(new Namespace(parsed)))
        .containsExactlyInAnyOrder(
            "--freshnessSeconds=30",
            "--out=x.json",
            "--suites=deltaio,ingest,medallion,training,cluster,history,scheduler,freshness,serving,dashboard");

    parsed.put("suites", "scheduler");
    assertThat(BenchCommand.toOptionArgs(new Namespace(parsed))).contains("--suites=scheduler");
  }

  @Test
  void unknownSuitesAreRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> Benchmark.parseSuites("scheduler,nope", OrchestratorBenchmark.SUITES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown suite 'nope': use deltaio, ingest, medallion, training, cluster, history,"
                + " scheduler, freshness, serving, dashboard");
    assertThat(Benchmark.parseSuites(" Scheduler ,freshness", OrchestratorBenchmark.SUITES))
        .containsExactly("scheduler", "freshness");
  }
}

package dev.ticklake.benchmarks.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The training suite on a tiny universe: it runs and reports every figure (none asserted). */
class TrainingBenchTest {
  @Test
  void reportsFeaturesTrainingAndScoring() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingBench.Result r =
        TrainingBench.run(new PrintStream(log, true, StandardCharsets.UTF_8), 3, 1);
    assertThat(r.json())
        .containsEntry("symbols", 3)
        .containsEntry("bars", 756L)
        .containsKeys(
            "featureSeconds",
            "walkForwardSeconds",
            "scoreRowsPerSecond",
            "oosAuc",
            "suiteEnvironment");
    assertThat(r.table()).contains("== training ==").contains("scoring").contains("peak RSS");
  }
}

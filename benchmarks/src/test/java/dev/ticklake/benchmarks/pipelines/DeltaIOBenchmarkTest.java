package dev.ticklake.benchmarks.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the benchmark on the DirectRunner: the JSON's shape and verified counts. */
class DeltaIOBenchmarkTest {
  @TempDir Path dir;

  @Test
  void smallDirectRunWritesVerifiedFiguresToJson() throws Exception {
    Path out = dir.resolve("results/deltaio.json");
    DeltaIOBenchmark.Options options =
        PipelineOptionsFactory.fromArgs(
                "--rows=20000",
                "--warmupRows=1000",
                "--repeats=2",
                "--runners=direct",
                "--out=" + out,
                "--workDir=" + dir.resolve("work"))
            .as(DeltaIOBenchmark.Options.class);

    BenchmarkResult result = DeltaIOBenchmark.run(options);

    assertThat(result.runners()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "benchmark",
            "timestamp",
            "gitCommit",
            "config",
            "environment",
            "rawParquetAvro",
            "deltaio",
            "target");
    assertThat(json.at("/config/rows").asLong()).isEqualTo(20_000);
    assertThat(json.at("/config/repeats").asInt()).isEqualTo(2);
    assertThat(json.at("/rawParquetAvro/write/rows").asLong()).isEqualTo(20_000);
    assertThat(json.at("/rawParquetAvro/read/rows").asLong()).isEqualTo(20_000);
    assertThat(json.at("/deltaio").fieldNames()).toIterable().containsExactly("direct");
    JsonNode direct = json.at("/deltaio/direct");
    assertThat(direct.fieldNames())
        .toIterable()
        .containsExactly("write", "read", "warmupWrite", "warmupRead", "verified");
    for (String step : new String[] {"write", "read"}) {
      assertThat(direct.get(step).fieldNames())
          .toIterable()
          .containsExactly("rows", "seconds", "rowsPerSecond", "runSeconds", "ratioToRaw");
      assertThat(direct.at("/" + step + "/rows").asLong()).isEqualTo(20_000);
      assertThat(direct.at("/" + step + "/runSeconds")).hasSize(2);
    }
    assertThat(direct.at("/verified/tableVersion").asLong()).isZero();
    assertThat(direct.at("/verified/rowsInLog").asLong()).isEqualTo(20_000);
    assertThat(direct.at("/verified/rowsRead").asLong()).isEqualTo(20_000);
    assertThat(direct.at("/verified/dataFiles").asLong()).isPositive();
    assertThat(json.at("/environment").fieldNames())
        .toIterable()
        .contains("javaVersion", "cores", "heapMaxBytes", "peakRssBytes");
    assertThat(json.at("/target").fieldNames())
        .toIterable()
        .containsExactly("ratio", "bestWriteRatio", "bestReadRatio", "writeMet", "readMet");
  }
}

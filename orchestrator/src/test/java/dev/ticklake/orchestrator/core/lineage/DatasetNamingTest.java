package dev.ticklake.orchestrator.core.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatasetNamingTest {

  @Test
  void localTablesAreAbsoluteFilePaths() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertThat(DatasetNaming.table("./lake", "silver/ticks"))
        .isEqualTo(new Dataset("file", cwd + "/lake/silver/ticks"));
    assertThat(DatasetNaming.table("/data/lake/", "bronze/ticks"))
        .isEqualTo(new Dataset("file", "/data/lake/bronze/ticks"));
    assertThat(DatasetNaming.location("file:///data/lake/gold/bars_1m"))
        .isEqualTo(new Dataset("file", "/data/lake/gold/bars_1m"));
    assertThat(DatasetNaming.location("file:/data/x/../lake/gold/bars_1d"))
        .isEqualTo(new Dataset("file", "/data/lake/gold/bars_1d"));
  }

  @Test
  void hdfsObjectStoresAndKafka() {
    assertThat(DatasetNaming.location("hdfs://nn:8020/lake/silver/ticks"))
        .isEqualTo(new Dataset("hdfs://nn:8020", "/lake/silver/ticks"));
    assertThat(DatasetNaming.location("s3a://bucket/lake/silver/ticks"))
        .isEqualTo(new Dataset("s3://bucket", "lake/silver/ticks"));
    assertThat(DatasetNaming.kafkaTopic("127.0.0.1:9092, other:9093", "market.ticks"))
        .isEqualTo(new Dataset("kafka://127.0.0.1:9092", "market.ticks"));
    assertThat(DatasetNaming.kafkaTopic("PLAINTEXT://b1:9092", "t"))
        .isEqualTo(new Dataset("kafka://b1:9092", "t"));
  }

  @Test
  void versionStrings() {
    Dataset d = new Dataset("file", "/l/bronze/ticks");
    assertThat(DatasetVersion.changes(d, -1, 4).version()).isEqualTo("4");
    assertThat(DatasetVersion.changes(d, 12, 15).version()).isEqualTo("(12,15]");
    assertThat(DatasetVersion.kafkaOffsets(d, 1, 100, 200).version()).isEqualTo("1:[100,200)");
  }

  @Test
  void runIdsAreDeterministicPerTry() {
    var t1 = new OpenLineageEvents.TryIdentity("m", "run", "task", 1, java.time.Instant.EPOCH);
    var t1again = new OpenLineageEvents.TryIdentity("m", "run", "task", 1, java.time.Instant.EPOCH);
    var t2 = new OpenLineageEvents.TryIdentity("m", "run", "task", 2, java.time.Instant.EPOCH);
    assertThat(OpenLineageEvents.runId(t1)).isEqualTo(OpenLineageEvents.runId(t1again));
    assertThat(OpenLineageEvents.runId(t1)).isNotEqualTo(OpenLineageEvents.runId(t2));
    assertThat(OpenLineageEvents.parentRunId(t1)).isEqualTo(OpenLineageEvents.parentRunId(t2));
    assertThat(OpenLineageEvents.runId(t1).version()).isEqualTo(7);
  }
}

package dev.ticklake.orchestrator.core.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.IngestBronzeJob;
import dev.ticklake.pipelines.RefineSilverJob;
import dev.ticklake.transforms.delta.CommitOutcome.Status;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.kafka.KafkaOffsetRange;
import dev.ticklake.transforms.silver.SilverBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Results of the jobs to lineage, including the cases a single medallion run does not reach. */
class PipelineLineageTest {

  private static final String LAKE = "/lake";
  private static final Dataset TOPIC = new Dataset("kafka://b:9092", "market.ticks");

  private static Dataset t(String id) {
    return new Dataset("file", "/lake/" + id);
  }

  private static CommitReport report(String table, Status status, long version) {
    return new CommitReport(table, status, version, 10, 1);
  }

  @Test
  void aSkippedBronzeRetryRecordsItsRangesAndNoOutput() {
    IngestBronzeJob.Result r =
        new IngestBronzeJob.Result(
            BatchStatus.SKIPPED,
            List.of(
                new KafkaOffsetRange("market.ticks", 0, 10, 20),
                new KafkaOffsetRange("market.ticks", 1, 5, 9)),
            report("bronze/ticks", Status.SKIPPED, 3));
    TaskLineage l = PipelineLineage.of(r, LAKE, "b:9092,c:9092", "market.ticks");
    assertThat(l.inputs())
        .containsExactly(
            new DatasetVersion(TOPIC, "0:[10,20)"), new DatasetVersion(TOPIC, "1:[5,9)"));
    assertThat(l.outputs()).isEmpty();
  }

  @Test
  void silverRecordsItsRangeAndOnlyTheTablesItCommitted() {
    SilverBatch batch = new SilverBatch(12, 15, Instant.EPOCH, "run");
    RefineSilverJob.Result r =
        new RefineSilverJob.Result(
            BatchStatus.COMMITTED,
            15,
            batch,
            report("silver/ticks", Status.COMMITTED, 8),
            report("silver/quarantine", Status.SKIPPED, 5), // committed before a crash
            report("silver/dq_metrics", Status.COMMITTED, 6),
            0,
            0,
            0,
            0,
            Map.of());
    TaskLineage l = PipelineLineage.of(r, LAKE);
    assertThat(l.inputs()).containsExactly(new DatasetVersion(t("bronze/ticks"), "(12,15]"));
    assertThat(l.outputs())
        .containsExactly(
            new DatasetVersion(t("silver/ticks"), "8"),
            new DatasetVersion(t("silver/dq_metrics"), "6"));
  }

  @Test
  void goldRecordsTheHistoryItReadAndNothingNewAsAnEmptyRange() {
    BuildGoldJob.Result r =
        new BuildGoldJob.Result(
            BatchStatus.COMMITTED,
            4,
            7,
            List.of("2026-01-05"),
            List.of(
                report("gold/bars_1m", Status.COMMITTED, 9),
                report("gold/bars_1d", Status.COMMITTED, 9),
                report("gold/anomalies", Status.EMPTY, 2),
                report("gold/daily_metrics", Status.COMMITTED, 9),
                report("gold/bar_state", Status.COMMITTED, 9)),
            8,
            8,
            8);
    TaskLineage l = PipelineLineage.of(r, LAKE);
    assertThat(l.inputs())
        .containsExactly(
            new DatasetVersion(t("silver/ticks"), "(4,7]"),
            new DatasetVersion(t("gold/bars_1m"), "8"),
            new DatasetVersion(t("gold/bars_1d"), "8"),
            new DatasetVersion(t("gold/bar_state"), "8"));
    assertThat(l.outputs())
        .containsExactly(
            new DatasetVersion(t("gold/bars_1m"), "9"),
            new DatasetVersion(t("gold/bars_1d"), "9"),
            new DatasetVersion(t("gold/daily_metrics"), "9"),
            new DatasetVersion(t("gold/bar_state"), "9"));

    BuildGoldJob.Result idle =
        new BuildGoldJob.Result(BatchStatus.NOTHING_NEW, 7, 7, List.of(), List.of(), -1, -1, -1);
    assertThat(PipelineLineage.of(idle, LAKE))
        .isEqualTo(
            new TaskLineage(List.of(new DatasetVersion(t("silver/ticks"), "(7,7]")), List.of()));
  }

  @Test
  void declaredDatasetsFollowTheTaskOptions() {
    PipelineLineage.Declared ingest =
        PipelineLineage.declared("ingest-bronze", LAKE, "b:9092", "other.topic");
    assertThat(ingest.inputs()).containsExactly(new Dataset("kafka://b:9092", "other.topic"));
    assertThat(ingest.outputs()).containsExactly(t("bronze/ticks"));
    assertThat(PipelineLineage.declared("noop", LAKE, "b:9092", "x"))
        .isEqualTo(PipelineLineage.Declared.NONE);
  }

  @Test
  void settingsAreValidatedWithMessagesThatSayHowToFix() {
    assertThatThrownBy(
            () ->
                new LineageSettings(
                    "ticklake", "kafka", "", "", "", Duration.ofSeconds(1), null, 1, Duration.ZERO))
        .hasMessageContaining("unknown lineage.transport 'kafka' (known: none, http, file)");
    assertThatThrownBy(() -> LineageSettings.http("", Duration.ofSeconds(1)))
        .hasMessageContaining("needs lineage.url");
    assertThatThrownBy(() -> LineageSettings.http("ftp://x", Duration.ofSeconds(1)))
        .hasMessageContaining("must be an http(s) URL");
    assertThatThrownBy(() -> LineageSettings.file(Path.of("x")).withQueueCapacity(0))
        .hasMessageContaining("queueCapacity must be >= 1");
    assertThat(LineageSettings.none().emitsEvents()).isFalse();
  }
}

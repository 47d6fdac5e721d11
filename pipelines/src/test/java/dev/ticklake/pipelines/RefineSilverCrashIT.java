package dev.ticklake.pipelines;

import static dev.ticklake.pipelines.SilverLake.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.pipelines.SilverLake.Rec;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KilledChild;
import dev.ticklake.transforms.silver.RefineSilver;
import dev.ticklake.transforms.util.FaultPoints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RefineSilverJob SIGKILLed in a child JVM at a commit, then re-run while Bronze has moved on:
 * every Bronze record ends up exactly once in Silver or the quarantine, and each batch's metrics
 * exactly once (checked with Delta Kernel).
 */
class RefineSilverCrashIT {
  static final Instant INGEST = Instant.parse("2026-11-20T14:31:00Z");

  @TempDir Path dir;

  static Rec[] firstBatch() {
    return new Rec[] {
      rec(0, 0, "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":1.5,\"volume\":1}"),
      rec(0, 1, "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:01Z\",\"price\":0,\"volume\":1}"),
      rec(0, 2, "garbage"),
    };
  }

  @Test
  void killedBetweenQuarantineAndSilverCommitsThenRerunCompletesTheSameBatch() throws Exception {
    SilverLake lake = new SilverLake(dir);
    lake.appendBronze(INGEST, firstBatch());

    // The first of the batch's three commits is the quarantine's: stop right after it.
    killChildAt(lake, FaultPoints.AFTER_COMMIT);
    assertThat(lake.txn(TableCatalog.SILVER_QUARANTINE, RefineSilver.QUARANTINE_APP_ID)).isZero();
    assertThat(lake.txn(TableCatalog.SILVER_DQ_METRICS, RefineSilver.DQ_METRICS_APP_ID))
        .isEqualTo(-1);
    assertThat(lake.txn(TableCatalog.SILVER_TICKS, RefineSilver.SILVER_APP_ID)).isEqualTo(-1);
    assertThat(lake.quarantine()).hasSize(2);

    // Bronze moves on before the re-run: the re-run must finish (-1, 0], not read (-1, 1].
    lake.appendBronze(
        INGEST,
        rec(
            0,
            3,
            "{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":2.5,\"volume\":1}"),
        rec(0, 4, "also garbage"));
    RefineSilverJob.Result rerun = lake.refine();
    assertThat(rerun.batch().batchId()).isEqualTo("bronze/ticks(-1,0]");
    assertThat(rerun.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(rerun.quarantine().status().name()).isEqualTo("SKIPPED");
    assertThat(rerun.dqMetrics().status().name()).isEqualTo("COMMITTED");

    RefineSilverJob.Result next = lake.refine();
    assertThat(next.batch().batchId()).isEqualTo("bronze/ticks(0,1]");
    assertThat(lake.refine().status()).isEqualTo(BatchStatus.NOTHING_NEW);

    assertExactlyOnce(lake);
  }

  @Test
  void killedBeforeTheFirstCommitThenRerunCommitsEverything() throws Exception {
    SilverLake lake = new SilverLake(dir);
    lake.appendBronze(INGEST, firstBatch());

    killChildAt(lake, FaultPoints.BEFORE_COMMIT);
    assertThat(lake.version(TableCatalog.SILVER_QUARANTINE)).isEqualTo(-1);
    assertThat(lake.version(TableCatalog.SILVER_TICKS)).isEqualTo(-1);

    lake.appendBronze(
        INGEST,
        rec(
            0,
            3,
            "{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":2.5,\"volume\":1}"),
        rec(0, 4, "also garbage"));
    RefineSilverJob.Result rerun = lake.refine();
    assertThat(rerun.batch().batchId())
        .as("nothing was committed: a fresh batch")
        .isEqualTo("bronze/ticks(-1,1]");
    assertThat(lake.refine().status()).isEqualTo(BatchStatus.NOTHING_NEW);
    assertThat(lake.silver())
        .extracting(r -> r.get("symbol"))
        .containsExactlyInAnyOrder("AAPL", "MSFT");
    assertThat(lake.quarantine())
        .extracting(r -> r.get("kafka_offset"))
        .containsExactlyInAnyOrder(1L, 2L, 4L);
  }

  private static void assertExactlyOnce(SilverLake lake) {
    assertThat(lake.silver())
        .extracting(r -> r.get("symbol"), r -> r.get("close"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("AAPL", 1.5),
            org.assertj.core.groups.Tuple.tuple("MSFT", 2.5));
    assertThat(lake.quarantine())
        .extracting(r -> r.get("kafka_offset"), r -> r.get("batch_id"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1L, "bronze/ticks(-1,0]"),
            org.assertj.core.groups.Tuple.tuple(2L, "bronze/ticks(-1,0]"),
            org.assertj.core.groups.Tuple.tuple(4L, "bronze/ticks(0,1]"));
    List<Map<String, Object>> metrics = lake.dqMetrics();
    assertThat(metrics).hasSize(12);
    assertThat(metrics)
        .filteredOn(r -> r.get("expectation").equals("parse"))
        .extracting(r -> r.get("batch_id"), r -> r.get("failed"), r -> r.get("recorded_at"))
        .as("the re-run kept the interrupted batch's start time")
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("bronze/ticks(-1,0]", 1L, SilverLake.START),
            org.assertj.core.groups.Tuple.tuple("bronze/ticks(0,1]", 1L, SilverLake.START));
    RefineSilverJobIT.assertTxns(lake, 1);
  }

  /** Runs the job in a child JVM paused at {@code point}, then SIGKILLs it there. */
  private void killChildAt(SilverLake lake, String point) throws Exception {
    KilledChild.killAt(
        point,
        dir,
        RefineSilverJob.class,
        "--lakeRoot=" + lake.lake(),
        "--runId=run-1",
        "--batchStartedAt=" + SilverLake.START);
  }
}

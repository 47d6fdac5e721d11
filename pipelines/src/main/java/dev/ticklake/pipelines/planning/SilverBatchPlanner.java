package dev.ticklake.pipelines.planning;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.silver.RefineSilver;
import dev.ticklake.transforms.silver.SilverBatch;
import io.delta.standalone.actions.CommitInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one Silver batch refines, from the Delta logs alone.
 *
 * <ul>
 *   <li>Normally: Bronze versions {@code (stored, current]}, where {@code stored} is the version in
 *       {@code silver/ticks}' {@code SetTransaction(silver/ticks:bronze/ticks)} (-1: never, so the
 *       first batch reads Bronze's snapshot) and {@code current} is Bronze's latest version now.
 *       Nothing new when they are equal.
 *   <li>After a crash between the batch's commits (quarantine and dq_metrics are committed in that
 *       order before Silver): quarantine's or dq_metrics' transaction is ahead of Silver's. The
 *       interrupted batch is then re-run with exactly its range and its recorded start time (from
 *       the commit's metadata), whatever Bronze received since, so that its committed tables are
 *       skipped and the rest commit the same rows. Reading further would re-quarantine the
 *       interrupted range's records.
 * </ul>
 *
 * <p>Assumes one Silver writer at a time (the orchestrator runs this task serially).
 */
public final class SilverBatchPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SilverBatchPlanner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_VERSIONS_SEARCHED = 100;

  private SilverBatchPlanner() {}

  /** The next batch, or empty when Bronze has nothing new. {@code now} starts a new batch. */
  public static Optional<SilverBatch> plan(
      String lakeRoot, Map<String, String> hadoopConf, String runId, Instant now) {
    long stored =
        table(TableCatalog.SILVER_TICKS, lakeRoot, hadoopConf)
            .txnVersion(RefineSilver.SILVER_APP_ID);
    DeltaTable quarantine = table(TableCatalog.SILVER_QUARANTINE, lakeRoot, hadoopConf);
    DeltaTable dqMetrics = table(TableCatalog.SILVER_DQ_METRICS, lakeRoot, hadoopConf);
    long pending =
        Math.max(
            quarantine.txnVersion(RefineSilver.QUARANTINE_APP_ID),
            dqMetrics.txnVersion(RefineSilver.DQ_METRICS_APP_ID));
    if (pending > stored) {
      SilverBatch interrupted = new SilverBatch(stored, pending, now, runId);
      Instant startedAt =
          recordedStart(quarantine, interrupted.batchId())
              .or(() -> recordedStart(dqMetrics, interrupted.batchId()))
              .orElseGet(
                  () -> {
                    LOG.warn(
                        "silver: no start time recorded for interrupted batch {}; using {}",
                        interrupted.batchId(),
                        now);
                    return now;
                  });
      LOG.info(
          "silver: batch {} was interrupted between its commits; re-running it",
          interrupted.batchId());
      return Optional.of(new SilverBatch(stored, pending, startedAt, runId));
    }
    long current = table(TableCatalog.BRONZE_TICKS, lakeRoot, hadoopConf).latestVersion();
    if (current < stored) {
      throw new IllegalStateException(
          String.format(
              "bronze/ticks is at version %d but silver/ticks has refined it up to version %d;"
                  + " was bronze/ticks deleted or re-created? Restore it, or rebuild Silver from"
                  + " scratch (delete silver/ticks, silver/quarantine and silver/dq_metrics)",
              current, stored));
    }
    if (current == stored) {
      return Optional.empty();
    }
    return Optional.of(new SilverBatch(stored, current, now, runId));
  }

  private static DeltaTable table(TableDef def, String lakeRoot, Map<String, String> hadoopConf) {
    return DeltaTable.at(def.location(lakeRoot), hadoopConf);
  }

  /** The {@code batchStartedAt} a commit of {@code batchId} recorded in its metadata. */
  private static Optional<Instant> recordedStart(DeltaTable table, String batchId) {
    long latest = table.latestVersion();
    for (long v = latest; v >= 0 && v > latest - MAX_VERSIONS_SEARCHED; v--) {
      CommitInfo info = table.commitInfo(v);
      Optional<String> metadata = info == null ? Optional.empty() : info.getUserMetadata();
      if (metadata.isEmpty()) {
        continue;
      }
      try {
        Map<String, String> m = JSON.readValue(metadata.get(), new TypeReference<>() {});
        if (batchId.equals(m.get("batchId")) && m.containsKey("batchStartedAt")) {
          return Optional.of(Instant.parse(m.get("batchStartedAt")));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("{} version {}: unreadable commit metadata {}", table, v, metadata.get(), e);
      }
    }
    return Optional.empty();
  }
}

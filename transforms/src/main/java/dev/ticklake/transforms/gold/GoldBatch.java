package dev.ticklake.transforms.gold;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one Gold batch reads and commits, decided from the Delta logs alone (no data file is read)
 * before the pipeline is built, so that every step of the batch sees the same versions.
 *
 * <p>Each Gold table stores the Silver version it has consumed as {@code SetTransaction("<table
 * id>:silver/ticks", version)}. The batch reads Silver's changes in {@code (fromExclusive,
 * silverVersion]} where {@code fromExclusive} is the smallest stored position over the four tables
 * (-1 when one has none: a full rebuild from the Silver snapshot), so a table left behind by a
 * crash between commits catches up, while the tables already at {@code silverVersion} skip their
 * commit. {@code touchedDates} are the Silver partitions that files added in that range belong to.
 *
 * @param lakeRoot root of the lake tables
 * @param fromExclusive Silver version already consumed by every Gold table (-1: none)
 * @param silverVersion the Silver version this batch brings Gold to (-1: no Silver table)
 * @param touchedDates ISO dates of the Silver partitions changed in the range, ascending
 * @param goldVersions each Gold table's latest version when the batch was planned (-1: none), by
 *     table id: the history the batch reads ({@code bars_1m}, {@code bars_1d}), the saved folds it
 *     continues ({@code bar_state}), and the base version of each table's commit
 */
public record GoldBatch(
    String lakeRoot,
    long fromExclusive,
    long silverVersion,
    List<String> touchedDates,
    Map<String, Long> goldVersions)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The Gold tables a batch writes, in commit-report order. */
  public static final List<TableDef> TABLES =
      List.of(
          TableCatalog.GOLD_BARS_1M,
          TableCatalog.GOLD_BARS_1D,
          TableCatalog.GOLD_ANOMALIES,
          TableCatalog.GOLD_DAILY_METRICS,
          TableCatalog.GOLD_BAR_STATE);

  public GoldBatch {
    touchedDates = List.copyOf(touchedDates);
    goldVersions = Map.copyOf(goldVersions);
  }

  /** The {@code SetTransaction} app id under which {@code table} stores its Silver position. */
  public static String appId(TableDef table) {
    return table.id() + ":" + TableCatalog.SILVER_TICKS.id();
  }

  /** Plans the next batch from the current logs of Silver and the Gold tables. */
  public static GoldBatch plan(String lakeRoot) {
    long silverVersion = table(lakeRoot, TableCatalog.SILVER_TICKS).latestVersion();
    long from = Long.MAX_VALUE;
    Map<String, Long> goldVersions = new HashMap<>();
    for (TableDef t : TABLES) {
      DeltaTable.Position position = table(lakeRoot, t).position(appId(t));
      from = Math.min(from, position.txnVersion());
      goldVersions.put(t.id(), position.version());
    }
    TreeSet<String> dates = new TreeSet<>();
    if (silverVersion >= 0 && from < silverVersion) {
      for (AddFile f :
          table(lakeRoot, TableCatalog.SILVER_TICKS).filesAddedBetween(from, silverVersion)) {
        dates.add(f.getPartitionValues().get("trade_date"));
      }
    }
    return new GoldBatch(lakeRoot, from, silverVersion, List.copyOf(dates), goldVersions);
  }

  /** {@code table}'s latest version when the batch was planned (-1: none). */
  public long versionOf(TableDef table) {
    Long v = goldVersions.get(table.id());
    if (v == null) {
      throw new IllegalArgumentException(table.id() + " is not a table of a Gold batch");
    }
    return v;
  }

  /** The version of {@code gold/bars_1m} whose rows are the history (-1: none). */
  public long minuteBarsVersion() {
    return versionOf(TableCatalog.GOLD_BARS_1M);
  }

  /** The version of {@code gold/bars_1d} whose rows are the history (-1: none). */
  public long dailyBarsVersion() {
    return versionOf(TableCatalog.GOLD_BARS_1D);
  }

  /** The version of {@code gold/bar_state} whose saved folds the batch continues (-1: none). */
  public long barStateVersion() {
    return versionOf(TableCatalog.GOLD_BAR_STATE);
  }

  /** False when Silver has not moved since every Gold table's stored position. */
  public boolean hasWork() {
    return silverVersion >= 0 && fromExclusive < silverVersion;
  }

  /** True when some table has consumed nothing yet: every Silver row counts as changed. */
  public boolean rebuildsEverything() {
    return fromExclusive < 0;
  }

  private static DeltaTable table(String lakeRoot, TableDef t) {
    return DeltaTable.at(t.location(lakeRoot));
  }
}

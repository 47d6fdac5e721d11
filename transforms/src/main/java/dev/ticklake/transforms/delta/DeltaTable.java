package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.DeltaLogs;
import dev.ticklake.transforms.delta.internal.DeltaStats;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.Snapshot;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to one Delta table's log: versions, the source positions stored in its {@code
 * SetTransaction}s, snapshots and the files added between two versions. Pipeline mains use it to
 * decide a batch's range before they build the pipeline. Every call sees the latest commit: the log
 * comes from the per-JVM {@link DeltaLogs} cache, brought up to date on each call.
 */
public final class DeltaTable {
  private final String location;
  private final Map<String, String> hadoopSettings;

  private DeltaTable(String location, Map<String, String> hadoopSettings) {
    this.location = location;
    this.hadoopSettings = hadoopSettings;
  }

  /** A table at a Hadoop URI or local path (it need not exist yet). */
  public static DeltaTable at(String location) {
    return at(location, Map.of());
  }

  /** A table at a location, with extra Hadoop settings (e.g. {@code fs.s3a.*}). */
  public static DeltaTable at(String location, Map<String, String> hadoopConf) {
    return new DeltaTable(location, Map.copyOf(hadoopConf));
  }

  public String location() {
    return location;
  }

  /** The extra Hadoop settings the table is opened with (none: Hadoop's defaults). */
  public Map<String, String> hadoopSettings() {
    return hadoopSettings;
  }

  /** The table's log, updated to its latest commit (shared: see {@link DeltaLogs}). */
  DeltaLog log() {
    return DeltaLogs.latest(location, hadoopSettings);
  }

  /** The latest snapshot (version -1 when the table does not exist), as one consistent read. */
  private Snapshot latest() {
    return log().snapshot();
  }

  public boolean exists() {
    return latest().getVersion() >= 0;
  }

  /** The latest committed version, or -1 when the table does not exist yet. */
  public long latestVersion() {
    return Math.max(latest().getVersion(), -1);
  }

  /**
   * The version last committed with {@code SetTransaction(appId, version)}, or -1 when none: the
   * source position to resume from.
   */
  public long txnVersion(String appId) {
    return position(appId).txnVersion();
  }

  /**
   * The latest version and the version last committed with {@code SetTransaction(appId, …)}, read
   * from one snapshot (-1 each when the table does not exist yet, or for no transaction).
   */
  public Position position(String appId) {
    DeltaLog log = log();
    if (!log.tableExists()) {
      return new Position(-1, -1);
    }
    // A transaction is delta-standalone's only view of SetTransactions; it is never committed.
    OptimisticTransaction txn = log.startTransaction();
    return new Position(txn.readVersion(), txn.txnVersion(appId));
  }

  /**
   * See {@link #position}.
   *
   * @param version the latest committed version
   * @param txnVersion the source position stored by the app id
   */
  public record Position(long version, long txnVersion) {}

  /** The table schema at the latest version; empty when the table does not exist. */
  public Optional<StructType> schema() {
    Snapshot s = latest();
    return s.getVersion() >= 0 ? Optional.of(s.getMetadata().getSchema()) : Optional.empty();
  }

  /** The partition columns at the latest version; empty when the table does not exist. */
  public List<String> partitionColumns() {
    Snapshot s = latest();
    return s.getVersion() >= 0 ? s.getMetadata().getPartitionColumns() : List.of();
  }

  /** The commit info of a version (operation, its parameters, timestamp). */
  public CommitInfo commitInfo(long version) {
    return log().getCommitInfoAt(version);
  }

  /** Files of the snapshot at {@code version} (-1 for latest). */
  public List<AddFile> filesAt(long version) {
    DeltaLog log = log();
    Snapshot s = log.snapshot();
    if (s.getVersion() < 0) {
      return List.of();
    }
    if (version >= 0 && version != s.getVersion()) {
      s = log.getSnapshotForVersionAsOf(version);
    }
    // The snapshot may be cached and shared: callers get a view they cannot change.
    return Collections.unmodifiableList(s.getAllFiles());
  }

  /**
   * A plain (non-Beam) read of the latest snapshot's rows; pin a version, filter partitions or set
   * the row schema on the returned {@link DeltaScan}.
   */
  public DeltaScan scan() {
    return new DeltaScan(this, -1, null, null);
  }

  /** The version that was current at a timestamp (epoch millis). */
  public long versionAtTimestamp(long epochMillis) {
    return log().getSnapshotForTimestampAsOf(epochMillis).getVersion();
  }

  /**
   * The data files added by commits in {@code (fromExclusive, toInclusive]} that changed data
   * ({@code dataChange=true}; compaction's rewrites are left out). With {@code fromExclusive < 0}
   * this is the snapshot at {@code toInclusive}. Rows in files that a later commit of the range
   * removed are still included, as Delta's streaming source does: every row that was added is seen
   * once. Files rewritten by an upsert carry their untouched rows again.
   */
  public List<AddFile> filesAddedBetween(long fromExclusive, long toInclusive) {
    if (toInclusive < 0 || toInclusive <= fromExclusive) {
      return List.of();
    }
    if (fromExclusive < 0) {
      return filesAt(toInclusive);
    }
    List<AddFile> added = new ArrayList<>();
    Iterator<VersionLog> changes = log().getChanges(fromExclusive + 1, true);
    while (changes.hasNext()) {
      VersionLog v = changes.next();
      if (v.getVersion() > toInclusive) {
        break;
      }
      for (Action a : v.getActions()) {
        if (a instanceof AddFile add && add.isDataChange()) {
          added.add(add);
        }
      }
    }
    return added;
  }

  /**
   * The number of rows in the files {@link #filesAddedBetween} lists, from their statistics; files
   * without statistics count as {@code rowsPerFileWithoutStats}. For sizing a batch's parallelism.
   */
  public long rowsAddedBetween(long fromExclusive, long toInclusive, long rowsPerFileWithoutStats) {
    long rows = 0;
    for (AddFile f : filesAddedBetween(fromExclusive, toInclusive)) {
      com.fasterxml.jackson.databind.JsonNode stats = DeltaStats.parse(f.getStats());
      rows +=
          stats != null && stats.has("numRecords")
              ? stats.get("numRecords").asLong()
              : rowsPerFileWithoutStats;
    }
    return rows;
  }

  @Override
  public String toString() {
    return "DeltaTable(" + location + ")";
  }
}

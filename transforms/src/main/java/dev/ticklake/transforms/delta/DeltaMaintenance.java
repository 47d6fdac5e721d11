package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.DataFileActions;
import dev.ticklake.transforms.delta.internal.DeltaCommitter;
import dev.ticklake.transforms.delta.internal.DeltaLogs;
import dev.ticklake.transforms.delta.internal.DeltaSchemas;
import dev.ticklake.transforms.delta.internal.DeltaStats;
import dev.ticklake.transforms.delta.internal.HadoopConf;
import dev.ticklake.transforms.delta.internal.PartitionValues;
import dev.ticklake.transforms.delta.internal.RollingParquetWriter;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Table maintenance: compaction of small files and vacuum of unreferenced files.
 *
 * <p>Compaction rewrites, per partition, files smaller than the target size into files of about the
 * target size, as one commit with {@code dataChange=false}: readers see identical rows before and
 * after, and incremental readers do not see the rewritten rows again. A concurrent commit that
 * removed one of the files being compacted makes compaction fail with {@link
 * DeltaConflictException} (nothing committed); concurrent appends do not conflict.
 *
 * <p>Vacuum deletes data files that no version within the retention period references and that are
 * older than the retention period (so files being written by a running batch are never touched).
 * Default retention 7 days; below 1 hour only with an explicit override, since a shorter one can
 * delete files that a running reader or a time-travel query still needs.
 */
public final class DeltaMaintenance {
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final Duration MIN_RETENTION = Duration.ofHours(1);

  private final String location;
  private final Map<String, String> hadoopSettings;
  private final Configuration conf;

  private DeltaMaintenance(String location, Map<String, String> hadoopSettings) {
    this.location = location;
    this.hadoopSettings = Map.copyOf(hadoopSettings);
    this.conf = HadoopConf.of(hadoopSettings);
  }

  public static DeltaMaintenance of(String location) {
    return of(location, Map.of());
  }

  public static DeltaMaintenance of(String location, Map<String, String> hadoopConf) {
    return new DeltaMaintenance(location, hadoopConf);
  }

  /** What a compaction did. */
  public record CompactionResult(long version, int filesRemoved, int filesAdded, long rows) {}

  /** What a vacuum deleted (or, in a dry run, would delete). */
  public record VacuumResult(List<String> files, long bytes, boolean dryRun) {}

  /**
   * Compacts every partition's files smaller than {@code targetFileBytes}, when a partition has at
   * least two of them. Returns version -1 and zero counts when there was nothing to compact.
   */
  public CompactionResult compact(long targetFileBytes) throws IOException {
    if (targetFileBytes < 1) {
      throw new IllegalArgumentException("compact: targetFileBytes must be >= 1");
    }
    DeltaLog log = DeltaLogs.latest(location, hadoopSettings);
    if (!log.tableExists()) {
      throw new IllegalArgumentException("Cannot compact " + location + ": no Delta table there");
    }
    OptimisticTransaction txn = log.startTransaction();
    Metadata metadata = txn.metadata();
    Schema schema = DeltaSchemas.toAvro(metadata.getSchema(), "Row");
    TableLayout layout = new TableLayout(schema, metadata.getPartitionColumns(), List.of());
    long now = System.currentTimeMillis();
    Compaction compaction = new Compaction(layout, targetFileBytes, now);
    for (List<AddFile> files : smallFilesByPartition(log, layout, targetFileBytes)) {
      if (files.size() < 2) {
        continue;
      }
      files.sort(
          Comparator.comparing(AddFile::getModificationTime).thenComparing(AddFile::getPath));
      for (List<AddFile> bin : binPack(files, targetFileBytes)) {
        if (bin.size() >= 2) {
          compaction.rewrite(bin);
        }
      }
    }
    if (compaction.actions.isEmpty()) {
      return new CompactionResult(-1, 0, 0, 0);
    }
    return commitCompaction(txn, compaction);
  }

  /** Per partition, the files smaller than the target, in the log's order. */
  private static List<List<AddFile>> smallFilesByPartition(
      DeltaLog log, TableLayout layout, long targetFileBytes) {
    Map<String, List<AddFile>> small = new LinkedHashMap<>();
    for (AddFile f : log.update().getAllFiles()) {
      if (f.getSize() < targetFileBytes) {
        small
            .computeIfAbsent(
                PartitionValues.directory(new LinkedHashMap<>(ordered(f, layout))),
                k -> new ArrayList<>())
            .add(f);
      }
    }
    return new ArrayList<>(small.values());
  }

  /** The actions of one compaction: each bin's files removed, one file of their rows added. */
  private final class Compaction {
    final TableLayout layout;
    final long targetFileBytes;
    final long now;
    final List<Action> actions = new ArrayList<>();
    int removed;
    int added;
    long rows;

    Compaction(TableLayout layout, long targetFileBytes, long now) {
      this.layout = layout;
      this.targetFileBytes = targetFileBytes;
      this.now = now;
    }

    void rewrite(List<AddFile> bin) throws IOException {
      Map<String, String> partition = ordered(bin.get(0), layout);
      RollingParquetWriter writer =
          RollingParquetWriter.oneFilePerPartition(conf, location, layout, targetFileBytes);
      for (AddFile f : bin) {
        writer.copyRows(f.getPath(), f.getPartitionValues(), partition, r -> true, ignored -> {});
        actions.add(f.remove(now, false));
        removed++;
      }
      writer.finish(
          out -> {
            actions.add(DataFileActions.toAddFile(out, now, false));
            added++;
            rows += out.numRecords();
          });
    }
  }

  private CompactionResult commitCompaction(OptimisticTransaction txn, Compaction compaction) {
    try {
      long version =
          txn.commit(
                  compaction.actions,
                  new Operation(
                      Operation.Name.MANUAL_UPDATE,
                      Map.of("operation", DeltaStats.quote("COMPACT")),
                      Map.of(),
                      Optional.of("{\"operation\":\"compact\"}")),
                  DeltaCommitter.ENGINE_INFO)
              .getVersion();
      return new CompactionResult(version, compaction.removed, compaction.added, compaction.rows);
    } catch (DeltaConcurrentModificationException e) {
      throw new DeltaConflictException(
          "Compaction of "
              + location
              + " lost to a concurrent commit ("
              + e.getMessage()
              + "); nothing was committed, run it again",
          e);
    }
  }

  private static Map<String, String> ordered(AddFile f, TableLayout layout) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String c : layout.partitionColumns()) {
      m.put(c, f.getPartitionValues().get(c));
    }
    return m;
  }

  private static List<List<AddFile>> binPack(List<AddFile> files, long target) {
    List<List<AddFile>> bins = new ArrayList<>();
    List<AddFile> current = new ArrayList<>();
    long size = 0;
    for (AddFile f : files) {
      if (!current.isEmpty() && size + f.getSize() > target) {
        bins.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(f);
      size += f.getSize();
    }
    if (!current.isEmpty()) {
      bins.add(current);
    }
    return bins;
  }

  /** Vacuum with the default retention of 7 days. */
  public VacuumResult vacuum(boolean dryRun) throws IOException {
    return vacuum(DEFAULT_RETENTION, dryRun, false);
  }

  /**
   * Deletes data files older than {@code retention} that no version of the last {@code retention}
   * references.
   *
   * @param allowShortRetention must be true for a retention below {@link #MIN_RETENTION}
   */
  public VacuumResult vacuum(Duration retention, boolean dryRun, boolean allowShortRetention)
      throws IOException {
    if (retention.compareTo(MIN_RETENTION) < 0 && !allowShortRetention) {
      throw new IllegalArgumentException(
          "Vacuum retention "
              + retention
              + " is below the 1 hour minimum: it could delete files that running "
              + "readers or writers still use. Pass allowShortRetention=true (--allow-short-retention) if you are sure");
    }
    DeltaLog log = DeltaLogs.latest(location, hadoopSettings);
    if (!log.tableExists()) {
      throw new IllegalArgumentException("Cannot vacuum " + location + ": no Delta table there");
    }
    long now = System.currentTimeMillis();
    long cutoff = now - retention.toMillis();
    long latest = log.update().getVersion();
    long oldestKept;
    try {
      oldestKept = log.getVersionBeforeOrAtTimestamp(cutoff);
    } catch (RuntimeException e) {
      oldestKept = -1;
    }
    Set<String> referenced = new HashSet<>();
    if (oldestKept >= 0) {
      for (AddFile f : log.getSnapshotForVersionAsOf(oldestKept).getAllFiles()) {
        referenced.add(decode(f.getPath()));
      }
    }
    Iterator<VersionLog> changes = log.getChanges(Math.max(oldestKept + 1, 0), false);
    while (changes.hasNext()) {
      VersionLog v = changes.next();
      if (v.getVersion() > latest) {
        break;
      }
      for (Action a : v.getActions()) {
        if (a instanceof AddFile add) {
          referenced.add(decode(add.getPath()));
        }
      }
    }
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(conf);
    String rootPath = fs.makeQualified(root).toUri().getPath();
    List<String> deleted = new ArrayList<>();
    long bytes = 0;
    RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      FileStatus st = it.next();
      String abs = st.getPath().toUri().getPath();
      String rel = abs.substring(rootPath.length()).replaceFirst("^/", "");
      if (rel.startsWith("_delta_log/") || isHidden(rel)) {
        continue;
      }
      if (referenced.contains(rel) || st.getModificationTime() >= cutoff) {
        continue;
      }
      deleted.add(rel);
      bytes += st.getLen();
      if (!dryRun) {
        fs.delete(st.getPath(), false);
      }
    }
    return new VacuumResult(deleted, bytes, dryRun);
  }

  private static boolean isHidden(String relative) {
    for (String part : relative.split("/")) {
      if ((part.startsWith("_") && !part.contains("=")) || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String decode(String uriPath) {
    try {
      return new URI(uriPath).getPath();
    } catch (URISyntaxException e) {
      return uriPath;
    }
  }
}

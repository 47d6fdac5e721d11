package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.hadoop.conf.Configuration;

/**
 * Upsert of one partition's batch rows (copy-on-write): writes the batch rows (one per key; a key
 * repeated within the batch keeps its first row and is counted), and rewrites only the existing
 * files that hold one of the batch's keys, without those rows. Files whose key-column min/max
 * statistics cannot contain a batch key are not even read. Existing files come from the snapshot at
 * the batch's base version; the commit checks that nobody changed the partition since.
 */
public final class MergeIntoPartitionFn
    extends DoFn<KV<String, Iterable<GenericRecord>>, DataFileAction> {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final Map<String, String> hadoopSettings;
  private final TableLayout layout;
  private final long targetFileBytes;
  private final long fixedBaseVersion;
  private final PCollectionView<Long> baseVersion;
  private final boolean keepExisting;
  private final Counter duplicateKeys;
  private final Counter keysAlreadyPresent;
  private final Counter filesRewritten;
  private final Counter filesPruned;

  private transient Configuration conf;
  private transient long cachedVersion;
  private transient Map<String, List<AddFile>> filesByPartition;

  public MergeIntoPartitionFn(
      String location,
      String tableName,
      Map<String, String> hadoopSettings,
      TableLayout layout,
      long targetFileBytes,
      long fixedBaseVersion,
      PCollectionView<Long> baseVersion,
      boolean keepExisting) {
    this.fixedBaseVersion = fixedBaseVersion;
    this.location = location;
    this.hadoopSettings = hadoopSettings;
    this.layout = layout;
    this.targetFileBytes = targetFileBytes;
    this.baseVersion = baseVersion;
    this.keepExisting = keepExisting;
    this.keysAlreadyPresent =
        Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".keysAlreadyPresent");
    this.duplicateKeys =
        Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".duplicateKeysInBatch");
    this.filesRewritten = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".filesRewritten");
    this.filesPruned =
        Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".filesPrunedByStats");
  }

  @Setup
  public void setup() {
    conf = HadoopConf.of(hadoopSettings);
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    long base = baseVersion == null ? fixedBaseVersion : c.sideInput(baseVersion);
    List<DataFileAction> out = new ArrayList<>();
    if (keepExisting) {
      insertMissing(c.element().getValue(), base, out);
    } else {
      upsert(c.element().getValue(), base, out);
    }
    out.forEach(c::output);
  }

  /** The keys seen in a partition's batch rows, their key range and the partition. */
  private final class BatchKeys {
    final Set<String> keys = new HashSet<>();
    final KeyRange range = new KeyRange(layout);
    Map<String, String> partition;

    /** True for the first row of a key; a repeated key is counted and false. */
    boolean add(GenericRecord row) {
      if (!keys.add(layout.keyOf(row))) {
        duplicateKeys.inc();
        return false;
      }
      range.include(row);
      if (partition == null) {
        partition = layout.partitions().of(row);
      }
      return true;
    }
  }

  /**
   * Copy-on-write upsert: the batch rows (one per key) as new files, and each existing file that
   * holds one of their keys rewritten without those rows.
   */
  private void upsert(Iterable<GenericRecord> group, long base, List<DataFileAction> out)
      throws IOException {
    BatchKeys batch = new BatchKeys();
    RollingParquetWriter writer = newFiles();
    for (GenericRecord row : group) {
      if (batch.add(row)) {
        writer.write(row, out::add);
      }
    }
    writer.finish(out::add);
    if (batch.partition == null) {
      return;
    }
    for (AddFile existing : candidates(batch, base)) {
      if (!containsAnyKey(existing, batch.keys)) {
        continue;
      }
      filesRewritten.inc();
      out.add(DataFileActions.remove(existing));
      RollingParquetWriter rewrite =
          RollingParquetWriter.oneFilePerPartition(conf, location, layout, targetFileBytes);
      rewrite.copyRows(
          existing.getPath(),
          existing.getPartitionValues(),
          existing.getPartitionValues(),
          r -> !batch.keys.contains(layout.keyOf(r)),
          out::add);
      rewrite.finish(out::add);
    }
  }

  /**
   * Insert-only merge: batch rows whose key the table already holds are dropped (the existing row
   * wins, so replaying events changes nothing), the others are appended. No file is rewritten.
   */
  private void insertMissing(Iterable<GenericRecord> group, long base, List<DataFileAction> out)
      throws IOException {
    BatchKeys batch = new BatchKeys();
    List<GenericRecord> rows = new ArrayList<>();
    for (GenericRecord row : group) {
      if (batch.add(row)) {
        // Runners may reuse the element object while iterating a group: keep a copy.
        rows.add(GenericData.get().deepCopy(row.getSchema(), row));
      }
    }
    if (batch.partition == null) {
      return;
    }
    Set<String> present = new HashSet<>();
    for (AddFile existing : candidates(batch, base)) {
      ParquetDataFiles.read(
          conf,
          location,
          existing.getPath(),
          existing.getPartitionValues(),
          layout,
          r -> {
            String k = layout.keyOf(r);
            if (batch.keys.contains(k)) {
              present.add(k);
            }
          });
    }
    keysAlreadyPresent.inc(present.size());
    RollingParquetWriter writer = newFiles();
    for (GenericRecord row : rows) {
      if (!present.contains(layout.keyOf(row))) {
        writer.write(row, out::add);
      }
    }
    writer.finish(out::add);
  }

  /** New files of the batch's one partition, rolled at the target size. */
  private RollingParquetWriter newFiles() {
    return RollingParquetWriter.rolling(conf, location, layout, targetFileBytes, 1);
  }

  /**
   * The partition's files at the base version whose key statistics may hold a batch key (the others
   * are counted as pruned).
   */
  private List<AddFile> candidates(BatchKeys batch, long base) {
    List<AddFile> candidates = new ArrayList<>();
    for (AddFile existing :
        existingFiles(base).getOrDefault(layout.partitionKey(batch.partition), List.of())) {
      if (batch.range.mayOverlap(DeltaStats.parse(existing.getStats()))) {
        candidates.add(existing);
      } else {
        filesPruned.inc();
      }
    }
    return candidates;
  }

  private boolean containsAnyKey(AddFile file, Set<String> keys) throws IOException {
    boolean[] found = {false};
    ParquetDataFiles.read(
        conf,
        location,
        file.getPath(),
        file.getPartitionValues(),
        layout,
        r -> found[0] |= keys.contains(layout.keyOf(r)));
    return found[0];
  }

  private Map<String, List<AddFile>> existingFiles(long base) {
    if (filesByPartition == null || cachedVersion != base) {
      filesByPartition = new HashMap<>();
      List<AddFile> files =
          base < 0 ? List.of() : DeltaTable.at(location, hadoopSettings).filesAt(base);
      for (AddFile f : files) {
        filesByPartition
            .computeIfAbsent(layout.partitionKey(f.getPartitionValues()), k -> new ArrayList<>())
            .add(f);
      }
      cachedVersion = base;
    }
    return filesByPartition;
  }
}

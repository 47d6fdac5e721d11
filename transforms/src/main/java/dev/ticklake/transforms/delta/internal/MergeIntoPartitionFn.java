package dev.ticklake.transforms.delta.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
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
    if (keepExisting) {
      insertMissing(c, base);
      return;
    }
    Set<String> keys = new HashSet<>();
    KeyRange range = new KeyRange(layout);
    Map<String, String> partition = null;
    List<DataFileAction> out = new ArrayList<>();
    ParquetDataFiles.Writer writer = null;
    for (GenericRecord row : c.element().getValue()) {
      if (!keys.add(layout.keyOf(row))) {
        duplicateKeys.inc();
        continue;
      }
      range.include(row);
      if (partition == null) {
        partition = layout.partitions().of(row);
      }
      if (writer == null) {
        writer =
            ParquetDataFiles.open(
                conf, location, layout, partition, Math.min(targetFileBytes, 128L << 20));
      }
      writer.write(row);
      if (writer.rows() % 1024 == 0 && writer.dataSize() >= targetFileBytes) {
        out.add(writer.finish());
        writer = null;
      }
    }
    if (writer != null) {
      out.add(writer.finish());
    }
    if (partition == null) {
      return;
    }
    for (AddFile existing : existingFiles(base).getOrDefault(partitionKey(partition), List.of())) {
      if (!range.mayOverlap(DeltaStats.parse(existing.getStats()))) {
        filesPruned.inc();
        continue;
      }
      if (!containsAnyKey(existing, keys)) {
        continue;
      }
      filesRewritten.inc();
      out.add(DataFileActions.remove(existing));
      out.addAll(rewriteWithout(existing, keys));
    }
    out.forEach(c::output);
  }

  /**
   * Insert-only merge: batch rows whose key the table already holds are dropped (the existing row
   * wins, so replaying events changes nothing), the others are appended. No file is rewritten. The
   * partition's batch rows are held in memory between the two passes.
   */
  private void insertMissing(ProcessContext c, long base) throws IOException {
    Set<String> keys = new HashSet<>();
    KeyRange range = new KeyRange(layout);
    List<GenericRecord> rows = new ArrayList<>();
    Map<String, String> partition = null;
    for (GenericRecord row : c.element().getValue()) {
      if (!keys.add(layout.keyOf(row))) {
        duplicateKeys.inc();
        continue;
      }
      range.include(row);
      if (partition == null) {
        partition = layout.partitions().of(row);
      }
      // Runners may reuse the element object while iterating a group: keep a copy.
      rows.add(GenericData.get().deepCopy(row.getSchema(), row));
    }
    if (partition == null) {
      return;
    }
    Set<String> present = new HashSet<>();
    for (AddFile existing : existingFiles(base).getOrDefault(partitionKey(partition), List.of())) {
      if (!range.mayOverlap(DeltaStats.parse(existing.getStats()))) {
        filesPruned.inc();
        continue;
      }
      ParquetDataFiles.read(
          conf,
          location,
          existing.getPath(),
          existing.getPartitionValues(),
          layout,
          r -> {
            String k = layout.keyOf(r);
            if (keys.contains(k)) {
              present.add(k);
            }
          });
    }
    keysAlreadyPresent.inc(present.size());
    ParquetDataFiles.Writer writer = null;
    for (GenericRecord row : rows) {
      if (present.contains(layout.keyOf(row))) {
        continue;
      }
      if (writer == null) {
        writer =
            ParquetDataFiles.open(
                conf, location, layout, partition, Math.min(targetFileBytes, 128L << 20));
      }
      writer.write(row);
      if (writer.rows() % 1024 == 0 && writer.dataSize() >= targetFileBytes) {
        c.output(writer.finish());
        writer = null;
      }
    }
    if (writer != null) {
      c.output(writer.finish());
    }
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

  private List<DataFileAction> rewriteWithout(AddFile file, Set<String> keys) throws IOException {
    List<DataFileAction> written = new ArrayList<>();
    ParquetDataFiles.Writer[] w = {null};
    IOException[] failure = {null};
    ParquetDataFiles.read(
        conf,
        location,
        file.getPath(),
        file.getPartitionValues(),
        layout,
        r -> {
          if (failure[0] != null || keys.contains(layout.keyOf(r))) {
            return;
          }
          try {
            if (w[0] == null) {
              w[0] =
                  ParquetDataFiles.open(
                      conf,
                      location,
                      layout,
                      file.getPartitionValues(),
                      Math.min(targetFileBytes, 128L << 20));
            }
            w[0].write(r);
          } catch (IOException e) {
            failure[0] = e;
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (w[0] != null) {
      written.add(w[0].finish());
    }
    return written;
  }

  private Map<String, List<AddFile>> existingFiles(long base) {
    if (filesByPartition == null || cachedVersion != base) {
      filesByPartition = new HashMap<>();
      List<AddFile> files =
          base < 0 ? List.of() : DeltaTable.at(location, hadoopSettings).filesAt(base);
      for (AddFile f : files) {
        filesByPartition
            .computeIfAbsent(partitionKey(f.getPartitionValues()), k -> new ArrayList<>())
            .add(f);
      }
      cachedVersion = base;
    }
    return filesByPartition;
  }

  private String partitionKey(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (String column : layout.partitionColumns()) {
      sb.append(column).append('=').append(values.get(column)).append('\u0001');
    }
    return sb.toString();
  }

  /** Min and max of each key column over the batch rows, compared with a file's statistics. */
  public static final class KeyRange {
    private final List<String> columns = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();
    private final List<Comparable<Object>> mins = new ArrayList<>();
    private final List<Comparable<Object>> maxs = new ArrayList<>();

    public KeyRange(TableLayout layout) {
      for (String column : layout.keyColumns()) {
        if (layout.partitionColumns().contains(column)) {
          continue;
        }
        Schema.Field f = layout.schema().getField(column);
        Schema t = DeltaSchemas.nonNull(f.schema());
        String logical = t.getLogicalType() == null ? "" : t.getLogicalType().getName();
        String kind =
            switch (t.getType()) {
              case STRING -> "string";
              case INT -> "date".equals(logical) ? "date" : "long";
              case LONG -> "timestamp-micros".equals(logical) ? "timestamp" : "long";
              case DOUBLE, FLOAT -> "double";
              default -> null;
            };
        if (kind != null) {
          columns.add(column);
          positions.add(f.pos());
          kinds.add(kind);
          mins.add(null);
          maxs.add(null);
        }
      }
    }

    @SuppressWarnings("unchecked")
    public void include(GenericRecord row) {
      for (int i = 0; i < columns.size(); i++) {
        Object v = row.get(positions.get(i));
        if (v == null) {
          continue;
        }
        Comparable<Object> c = (Comparable<Object>) normalise(kinds.get(i), v);
        if (mins.get(i) == null || c.compareTo(mins.get(i)) < 0) {
          mins.set(i, c);
        }
        if (maxs.get(i) == null || c.compareTo(maxs.get(i)) > 0) {
          maxs.set(i, c);
        }
      }
    }

    /** False only when the stats prove that no batch key can be in the file. */
    @SuppressWarnings("unchecked")
    public boolean mayOverlap(JsonNode stats) {
      if (stats == null || !stats.has("minValues") || !stats.has("maxValues")) {
        return true;
      }
      for (int i = 0; i < columns.size(); i++) {
        JsonNode lo = stats.get("minValues").get(columns.get(i));
        JsonNode hi = stats.get("maxValues").get(columns.get(i));
        if (lo == null || hi == null || mins.get(i) == null) {
          continue;
        }
        Comparable<Object> fileMin = (Comparable<Object>) fromStats(kinds.get(i), lo, false);
        Comparable<Object> fileMax = (Comparable<Object>) fromStats(kinds.get(i), hi, true);
        if (maxs.get(i).compareTo(fileMin) < 0 || mins.get(i).compareTo(fileMax) > 0) {
          return false;
        }
      }
      return true;
    }

    private static Object normalise(String kind, Object v) {
      return switch (kind) {
        case "string" -> v.toString();
        case "double" -> ((Number) v).doubleValue();
        default -> ((Number) v).longValue();
      };
    }

    private static Object fromStats(String kind, JsonNode n, boolean isMax) {
      return switch (kind) {
        case "string" -> n.asText();
        case "double" -> n.asDouble();
        case "date" -> LocalDate.parse(n.asText()).toEpochDay();
        // Timestamp stats are truncated to milliseconds: widen the max by one millisecond.
        case "timestamp" -> {
          Instant t = Instant.parse(n.asText());
          long micros =
              Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
          yield isMax ? micros + 999 : micros;
        }
        default -> n.asLong();
      };
    }
  }
}

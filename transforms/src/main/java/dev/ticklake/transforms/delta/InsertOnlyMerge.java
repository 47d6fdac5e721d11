package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.DeltaStats;
import dev.ticklake.transforms.delta.internal.HadoopConf;
import dev.ticklake.transforms.delta.internal.KeyRange;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.RollingParquetWriter;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The insert-only upsert ({@code WHEN NOT MATCHED THEN INSERT}) of a slice of a batch, for use
 * inside a DoFn after the batch's rows were spread by key (any slicing works: each key is in one
 * slice). New rows are appended as new files; rows whose key the table already holds are dropped;
 * no existing file is rewritten. Only the existing files whose key-column statistics (min/max per
 * file) overlap the slice's keys are opened, and of those only the key columns are read. A live
 * feed's new rows are newer than every existing file, so a batch normally opens none, and its cost
 * does not grow with the size of the partitions it lands in.
 *
 * <p>Existing files come from the snapshot at a base version fixed when the pipeline is built
 * ({@link DeltaWrite#withBaseVersion}); the commit ({@link DeltaIO#commitInOrder}) checks that no
 * other writer changed the partitions since. Serializable; call {@link #merge} on workers.
 */
public final class InsertOnlyMerge implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * File lists per (table, version), shared by the DoFn instances of a JVM: read once per batch.
   */
  private static final Map<String, Map<String, List<AddFile>>> SNAPSHOTS =
      new ConcurrentHashMap<>();

  private final String location;
  private final Map<String, String> hadoopSettings;
  private final TableLayout layout;
  private final long targetFileBytes;
  private final int maxOpenFiles;
  private final long baseVersion;
  private final Counter keysAlreadyPresent;
  private final Counter filesRead;
  private final Counter filesPruned;
  private final Counter rowsWritten;

  private transient Configuration conf;

  InsertOnlyMerge(
      String location,
      String tableName,
      Map<String, String> hadoopSettings,
      TableLayout layout,
      long targetFileBytes,
      int maxOpenFiles,
      long baseVersion) {
    this.location = location;
    this.hadoopSettings = hadoopSettings;
    this.layout = layout;
    this.targetFileBytes = targetFileBytes;
    this.maxOpenFiles = maxOpenFiles;
    this.baseVersion = baseVersion;
    this.keysAlreadyPresent =
        Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".keysAlreadyPresent");
    this.filesRead = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".filesReadForKeys");
    this.filesPruned =
        Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".filesPrunedByStats");
    this.rowsWritten = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".rowsWritten");
  }

  /** The snapshot version the merge checks keys against (-1: the table does not exist yet). */
  public long baseVersion() {
    return baseVersion;
  }

  /**
   * Appends those of {@code rows} whose key the table does not hold at the base version, as new
   * files handed to {@code out}. {@code rows} must have distinct keys (de-duplicate first) and must
   * not be reused by the caller while this runs.
   */
  public void merge(List<GenericRecord> rows, Consumer<DataFileAction> out) throws IOException {
    Appender appender = appender(out);
    appender.merge(rows);
    appender.finish();
  }

  /**
   * An appender whose files stay open across {@link Appender#merge} calls until {@link
   * Appender#finish}: use one per bundle, so that the many key slices (buckets) a worker handles
   * share one file per partition instead of writing one each. Files are closed when they reach the
   * target size, when more than {@code maxOpenFiles} partitions are open (least recently used
   * first) and by {@code finish}. Not thread-safe.
   */
  public Appender appender(Consumer<DataFileAction> out) {
    return appender(out, Long.MAX_VALUE);
  }

  /**
   * {@link #appender(Consumer)} that, after each {@link Appender#merge} (one slice), also closes
   * the files that hold at least {@code rowsPerFile} rows: a big batch stays in several files
   * (which later reads spread over workers file by file), each a whole number of slices, so no tiny
   * remainder files.
   */
  public Appender appender(Consumer<DataFileAction> out, long rowsPerFile) {
    if (rowsPerFile < 1) {
      throw new IllegalArgumentException("rowsPerFile must be >= 1, got " + rowsPerFile);
    }
    if (conf == null) {
      conf = HadoopConf.of(hadoopSettings);
    }
    return new Appender(out, rowsPerFile);
  }

  /** See {@link #appender}. */
  public final class Appender {
    private final Consumer<DataFileAction> out;
    private final long rowsPerFile;
    private final RollingParquetWriter files =
        RollingParquetWriter.rolling(conf, location, layout, targetFileBytes, maxOpenFiles);

    private Appender(Consumer<DataFileAction> out, long rowsPerFile) {
      this.out =
          f -> {
            rowsWritten.inc(f.numRecords());
            out.accept(f);
          };
      this.rowsPerFile = rowsPerFile;
    }

    /**
     * Appends those of {@code rows} whose key the table does not hold at the base version. {@code
     * rows} must have distinct keys, also across the calls of one appender (slice by key first),
     * and must not be reused by the caller while this runs.
     */
    public void merge(List<GenericRecord> rows) throws IOException {
      Map<String, List<GenericRecord>> byPartition = new LinkedHashMap<>();
      for (GenericRecord row : rows) {
        byPartition
            .computeIfAbsent(layout.partitions().keyOf(row), k -> new ArrayList<>())
            .add(row);
      }
      for (List<GenericRecord> partitionRows : byPartition.values()) {
        Map<String, String> partition = layout.partitions().of(partitionRows.get(0));
        Set<String> present = existingKeys(partition, partitionRows);
        keysAlreadyPresent.inc(present.size());
        for (GenericRecord row : partitionRows) {
          if (!present.isEmpty() && present.contains(layout.keyOf(row))) {
            continue;
          }
          files.write(row, out);
        }
      }
      files.closeFilesWithAtLeast(rowsPerFile, out);
    }

    /** Closes every open file and hands it to the consumer. */
    public void finish() throws IOException {
      files.finish(out);
    }
  }

  /** The keys of {@code rows} that the partition's files at the base version already hold. */
  private Set<String> existingKeys(Map<String, String> partition, List<GenericRecord> rows)
      throws IOException {
    List<AddFile> files =
        filesByPartition().getOrDefault(layout.partitionKey(partition), List.of());
    if (files.isEmpty()) {
      return Set.of();
    }
    KeyRange range = new KeyRange(layout);
    rows.forEach(range::include);
    Set<String> keys = null;
    Set<String> present = new HashSet<>();
    for (AddFile file : files) {
      if (!range.mayOverlap(DeltaStats.parse(file.getStats()))) {
        filesPruned.inc();
        continue;
      }
      if (keys == null) {
        keys = new HashSet<>(rows.size() * 2);
        for (GenericRecord r : rows) {
          keys.add(layout.keyOf(r));
        }
      }
      filesRead.inc();
      Set<String> wanted = keys;
      readKeys(
          file,
          k -> {
            if (wanted.contains(k)) {
              present.add(k);
            }
          });
    }
    return present;
  }

  /** The key (as {@link TableLayout#keyOf}) of every row of a file, reading only key columns. */
  private void readKeys(AddFile file, Consumer<String> out) throws IOException {
    Schema projection = keyProjection();
    Path path = ParquetDataFiles.resolve(location, file.getPath());
    Configuration readConf = new Configuration(conf);
    AvroReadSupport.setRequestedProjection(readConf, projection);
    AvroReadSupport.setAvroReadSchema(readConf, projection);
    readConf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
    readConf.set(AvroReadSupport.AVRO_DATA_SUPPLIER, "org.apache.parquet.avro.GenericDataSupplier");
    GenericRecord full = new GenericData.Record(layout.schema());
    layout.parsePartitionValues(file.getPartitionValues()).setOn(full);
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(path, readConf))
            .withDataModel(GenericData.get())
            .withConf(readConf)
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        for (Schema.Field f : projection.getFields()) {
          full.put(layout.schema().getField(f.name()).pos(), r.get(f.pos()));
        }
        out.accept(layout.keyOf(full));
      }
    }
  }

  private transient Schema keyProjection;

  private Schema keyProjection() {
    if (keyProjection == null) {
      List<Schema.Field> fields = new ArrayList<>();
      for (String column : layout.keyColumns()) {
        if (layout.partitionColumns().contains(column)) {
          continue;
        }
        Schema.Field f = layout.dataSchema().getField(column);
        fields.add(new Schema.Field(f.name(), f.schema(), f.doc(), (Object) null));
      }
      Schema data = layout.dataSchema();
      keyProjection =
          Schema.createRecord(data.getName(), data.getDoc(), data.getNamespace(), false, fields);
    }
    return keyProjection;
  }

  private Map<String, List<AddFile>> filesByPartition() {
    if (baseVersion < 0) {
      return Map.of();
    }
    String id = location + "@" + baseVersion + "@" + commitFileTime();
    Map<String, List<AddFile>> cached = SNAPSHOTS.get(id);
    if (cached != null) {
      return cached;
    }
    Map<String, List<AddFile>> files = new LinkedHashMap<>();
    for (AddFile f : DeltaTable.at(location, hadoopSettings).filesAt(baseVersion)) {
      files
          .computeIfAbsent(layout.partitionKey(f.getPartitionValues()), d -> new ArrayList<>())
          .add(f);
    }
    // Keep the cache small: one snapshot per table, the latest base version asked for.
    SNAPSHOTS.keySet().removeIf(other -> other.startsWith(location + "@") && !other.equals(id));
    SNAPSHOTS.putIfAbsent(id, files);
    return files;
  }

  /**
   * When the base version's commit file was written: a table deleted and re-created at the same
   * location (tests, rebuilds) must not be served a cached file list of the old one.
   */
  private long commitFileTime() {
    try {
      Path commit =
          new Path(new Path(location, "_delta_log"), String.format("%020d.json", baseVersion));
      return commit.getFileSystem(conf).getFileStatus(commit).getModificationTime();
    } catch (IOException e) {
      return System.nanoTime(); // unknown: do not share
    }
  }
}

package dev.ticklake.testing;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a Delta table with Delta Kernel, independently of TickLake's own writer (delta-standalone)
 * and reader, so tests can prove that a third-party reader sees exactly the rows we committed.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Every read returns every live row of one snapshot, partition columns included, in file
 *       order (use {@link #sorted} to compare independent of order). Rows that a deletion vector or
 *       selection vector excludes are skipped.
 *   <li>Values are normalised to plain Java types: string → {@link String}, long → {@link Long},
 *       int → {@link Integer}, short → {@link Short}, byte → {@link Byte}, double → {@link Double},
 *       float → {@link Float}, boolean → {@link Boolean}, decimal → {@link java.math.BigDecimal},
 *       binary → {@link ByteBuffer} (wrapping a fresh array, so {@code equals} compares content),
 *       date → {@link LocalDate}, timestamp (UTC-adjusted) → {@link Instant} with microsecond
 *       precision, timestamp_ntz → {@link LocalDateTime}, struct → {@code Map<String, Object>},
 *       array → {@link List}, map → {@link Map}, null → null.
 *   <li>Each row map keeps the table schema's column order.
 *   <li>Unbounded: the whole snapshot is materialised in memory. Test tables only.
 * </ul>
 *
 * <p>Instances are immutable and hold no open resources; every call loads a fresh snapshot.
 */
public final class KernelTableReader {

  private static final String LAST_CHECKPOINT_FILE = "_delta_log/_last_checkpoint";

  private final String tablePath;
  private final Configuration hadoopConf;
  private final Engine engine;

  private KernelTableReader(String tablePath, Configuration hadoopConf) {
    this.tablePath = tablePath;
    this.hadoopConf = hadoopConf;
    this.engine = DefaultEngine.create(hadoopConf);
  }

  /**
   * A reader of the table at {@code tablePath}: a local path (relative paths are resolved against
   * the working directory) or a fully qualified URI such as {@code file:/tmp/t}.
   */
  public static KernelTableReader of(String tablePath) {
    return of(tablePath, new Configuration());
  }

  /** As {@link #of(String)}, on a file system that needs settings (an s3a endpoint, keys). */
  public static KernelTableReader of(String tablePath, Configuration hadoopConf) {
    return new KernelTableReader(qualify(tablePath), hadoopConf);
  }

  /** The qualified table path this reader reads, e.g. {@code file:/tmp/t}. */
  public String tablePath() {
    return tablePath;
  }

  /** Every live row of the latest snapshot. */
  public List<Map<String, Object>> readLatest() {
    return readSnapshot(loadSnapshot(Optional.empty()));
  }

  /** Every live row of the snapshot at {@code version}; fails if that version does not exist. */
  public List<Map<String, Object>> readAtVersion(long version) {
    return readSnapshot(loadSnapshot(Optional.of(version)));
  }

  /** The version of the latest commit. */
  public long latestVersion() {
    return loadSnapshot(Optional.empty()).getVersion();
  }

  /**
   * True when {@code _delta_log/_last_checkpoint} exists and Kernel built the latest snapshot from
   * a checkpoint (not by replaying every JSON commit).
   */
  public boolean hasCheckpoint() {
    return lastCheckpointFileExists() && latestSnapshotCheckpointVersion().isPresent();
  }

  /**
   * The checkpoint version Kernel started from when it loaded the latest snapshot, if any. Comes
   * from {@code Snapshot.getLogSegment()}, which Kernel 4.4 exposes on the public interface but
   * whose type lives in an internal package; fine for tests.
   */
  public Optional<Long> latestSnapshotCheckpointVersion() {
    return loadSnapshot(Optional.empty()).getLogSegment().getCheckpointVersionOpt();
  }

  /**
   * Absolute paths of the data files of the latest snapshot that Kernel would still read for {@code
   * filter} after partition pruning and stats-based data skipping. Lets tests prove that a writer's
   * {@code add.stats} are parseable and correct (a wrong min/max skips a live file).
   */
  public List<String> dataFilesMatching(Predicate filter) {
    Scan scan = loadSnapshot(Optional.empty()).getScanBuilder().withFilter(filter).build();
    List<String> paths = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> scanFileBatches = scan.getScanFiles(engine)) {
      while (scanFileBatches.hasNext()) {
        try (CloseableIterator<Row> scanFiles = scanFileBatches.next().getRows()) {
          while (scanFiles.hasNext()) {
            paths.add(InternalScanFileUtils.getAddFileStatus(scanFiles.next()).getPath());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list data files of Delta table " + tablePath, e);
    }
    return paths;
  }

  /** The logical schema of the latest snapshot (partition columns included). */
  public StructType schema() {
    return loadSnapshot(Optional.empty()).getSchema();
  }

  /** Column name → Kernel type name (e.g. {@code long}, {@code timestamp}), in schema order. */
  public Map<String, String> columnTypes() {
    Map<String, String> types = new LinkedHashMap<>();
    for (StructField field : schema().fields()) {
      types.put(field.getName(), field.getDataType().toString());
    }
    return types;
  }

  /** The partition columns of the latest snapshot, in declaration order. */
  public List<String> partitionColumns() {
    return loadSnapshot(Optional.empty()).getPartitionColumnNames();
  }

  /**
   * A copy of {@code rows} sorted by {@code keyColumns} (natural order, nulls first), for
   * order-independent comparison. The input is not modified. Key values must be mutually {@link
   * Comparable} per column.
   */
  public static List<Map<String, Object>> sorted(
      List<Map<String, Object>> rows, String... keyColumns) {
    if (keyColumns.length == 0) {
      throw new IllegalArgumentException("sorted(rows, keyColumns...) needs at least one key");
    }
    Comparator<Map<String, Object>> order = null;
    for (String key : keyColumns) {
      Comparator<Map<String, Object>> byKey =
          Comparator.comparing(
              row -> comparableValue(row, key), Comparator.nullsFirst(Comparator.naturalOrder()));
      order = order == null ? byKey : order.thenComparing(byKey);
    }
    List<Map<String, Object>> copy = new ArrayList<>(rows);
    copy.sort(order);
    return copy;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparable<Object> comparableValue(Map<String, Object> row, String key) {
    if (!row.containsKey(key)) {
      throw new IllegalArgumentException(
          "Cannot sort by '" + key + "': the row has only columns " + row.keySet());
    }
    Object value = row.get(key);
    if (value != null && !(value instanceof Comparable)) {
      throw new IllegalArgumentException(
          "Cannot sort by '" + key + "': " + value.getClass().getName() + " is not Comparable");
    }
    return (Comparable) value;
  }

  private Snapshot loadSnapshot(Optional<Long> version) {
    SnapshotBuilder builder = TableManager.loadSnapshot(tablePath);
    if (version.isPresent()) {
      builder = builder.atVersion(version.get());
    }
    return builder.build(engine);
  }

  private boolean lastCheckpointFileExists() {
    Path lastCheckpoint = new Path(tablePath, LAST_CHECKPOINT_FILE);
    try {
      return lastCheckpoint.getFileSystem(hadoopConf).exists(lastCheckpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check for " + lastCheckpoint, e);
    }
  }

  /**
   * The scan recipe of Kernel 4.4: the scan files say which Parquet files are live; the physical
   * schema says which columns to read from them; {@link Scan#transformPhysicalData} turns physical
   * batches into logical ones (adds partition columns from {@code partitionValues}, applies column
   * mapping, attaches the deletion vector as a selection vector).
   */
  private List<Map<String, Object>> readSnapshot(Snapshot snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType physicalReadSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<Map<String, Object>> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> scanFileBatches = scan.getScanFiles(engine)) {
      while (scanFileBatches.hasNext()) {
        // getRows() already skips scan-file rows that the batch's selection vector excludes.
        try (CloseableIterator<Row> scanFiles = scanFileBatches.next().getRows()) {
          while (scanFiles.hasNext()) {
            readScanFile(scanState, scanFiles.next(), physicalReadSchema, rows);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read Delta table " + tablePath + " at version " + snapshot.getVersion(), e);
    }
    return rows;
  }

  private void readScanFile(
      Row scanState, Row scanFile, StructType physicalReadSchema, List<Map<String, Object>> sink)
      throws IOException {
    FileStatus dataFile = InternalScanFileUtils.getAddFileStatus(scanFile);
    CloseableIterator<ColumnarBatch> physicalBatches =
        engine
            .getParquetHandler()
            .readParquetFiles(
                Utils.singletonCloseableIterator(dataFile), physicalReadSchema, Optional.empty())
            .map(FileReadResult::getData);
    try (CloseableIterator<FilteredColumnarBatch> logicalBatches =
        Scan.transformPhysicalData(engine, scanState, scanFile, physicalBatches)) {
      while (logicalBatches.hasNext()) {
        appendSelectedRows(logicalBatches.next(), sink);
      }
    }
  }

  private static void appendSelectedRows(
      FilteredColumnarBatch batch, List<Map<String, Object>> sink) {
    ColumnarBatch data = batch.getData();
    StructType schema = data.getSchema();
    Optional<ColumnVector> selection = batch.getSelectionVector();
    for (int rowId = 0; rowId < data.getSize(); rowId++) {
      if (selection.isPresent() && !isSelected(selection.get(), rowId)) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (int ordinal = 0; ordinal < schema.length(); ordinal++) {
        StructField field = schema.at(ordinal);
        row.put(
            field.getName(), valueAt(data.getColumnVector(ordinal), field.getDataType(), rowId));
      }
      sink.add(row);
    }
  }

  private static boolean isSelected(ColumnVector selection, int rowId) {
    // Kernel's convention: a null in the selection vector means "not selected".
    return !selection.isNullAt(rowId) && selection.getBoolean(rowId);
  }

  private static Object valueAt(ColumnVector vector, DataType type, int rowId) {
    if (vector.isNullAt(rowId)) {
      return null;
    }
    if (type instanceof StringType) {
      return vector.getString(rowId);
    } else if (type instanceof LongType) {
      return vector.getLong(rowId);
    } else if (type instanceof IntegerType) {
      return vector.getInt(rowId);
    } else if (type instanceof ShortType) {
      return vector.getShort(rowId);
    } else if (type instanceof ByteType) {
      return vector.getByte(rowId);
    } else if (type instanceof DoubleType) {
      return vector.getDouble(rowId);
    } else if (type instanceof FloatType) {
      return vector.getFloat(rowId);
    } else if (type instanceof BooleanType) {
      return vector.getBoolean(rowId);
    } else if (type instanceof DecimalType) {
      return vector.getDecimal(rowId);
    } else if (type instanceof BinaryType) {
      byte[] bytes = vector.getBinary(rowId);
      return ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length));
    } else if (type instanceof DateType) {
      // Kernel represents a date as days since 1970-01-01.
      return LocalDate.ofEpochDay(vector.getInt(rowId));
    } else if (type instanceof TimestampType) {
      // Kernel represents a timestamp as microseconds since the epoch, UTC.
      return instantOfMicros(vector.getLong(rowId));
    } else if (type instanceof TimestampNTZType) {
      return LocalDateTime.ofInstant(instantOfMicros(vector.getLong(rowId)), ZoneOffset.UTC);
    } else if (type instanceof StructType) {
      StructType struct = (StructType) type;
      Map<String, Object> value = new LinkedHashMap<>();
      for (int i = 0; i < struct.length(); i++) {
        StructField field = struct.at(i);
        value.put(field.getName(), valueAt(vector.getChild(i), field.getDataType(), rowId));
      }
      return value;
    } else if (type instanceof ArrayType) {
      ArrayValue array = vector.getArray(rowId);
      DataType elementType = ((ArrayType) type).getElementType();
      List<Object> value = new ArrayList<>(array.getSize());
      for (int i = 0; i < array.getSize(); i++) {
        value.add(valueAt(array.getElements(), elementType, i));
      }
      return value;
    } else if (type instanceof MapType) {
      MapValue map = vector.getMap(rowId);
      MapType mapType = (MapType) type;
      Map<Object, Object> value = new LinkedHashMap<>();
      for (int i = 0; i < map.getSize(); i++) {
        value.put(
            valueAt(map.getKeys(), mapType.getKeyType(), i),
            valueAt(map.getValues(), mapType.getValueType(), i));
      }
      return value;
    }
    throw new UnsupportedOperationException(
        "KernelTableReader cannot convert Delta type " + type + "; add a case to valueAt()");
  }

  private static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** Turns a local path into a {@code file:} URI; keeps anything that already has a scheme. */
  private static String qualify(String tablePath) {
    if (tablePath == null || tablePath.isBlank()) {
      throw new IllegalArgumentException("tablePath must be a local path or a URI, got nothing");
    }
    if (tablePath.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
      return stripTrailingSlash(tablePath);
    }
    URI uri = Paths.get(tablePath).toAbsolutePath().normalize().toUri();
    return stripTrailingSlash(uri.toString());
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}

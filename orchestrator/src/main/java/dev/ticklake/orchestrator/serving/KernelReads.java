package dev.ticklake.orchestrator.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.ScanImpl;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads one version of a Delta table with Delta Kernel. The version's data files (with partition
 * values and statistics) are listed by one log replay and kept with its snapshot; each query then
 * prunes that list with a {@link FilePruning} (partitions, and files whose {@code minValues}/{@code
 * maxValues} written by DeltaIO cannot match) instead of replaying the log again. The rows of the
 * files that remain are returned as they are (the caller applies the exact row filter). Only the
 * requested columns are read. Deletion vectors are honoured. Thread-safe. The last {@value
 * #SNAPSHOTS} snapshots and file lists are kept (a version never changes), so the schema, the
 * commit time and the files of a new version are read from its log once, not once per query.
 *
 * <p>The decoded rows of each data file are cached too, bounded by weight: a Delta data file never
 * changes once committed (a new version adds new files and removes old ones), so the first read
 * after a commit decodes only the files that commit added, not the whole table again. A file is
 * decoded with all its columns and queries project what they ask. The key is the file's path, its
 * deletion vector and the physical schema read.
 */
final class KernelReads {
  private static final int SNAPSHOTS = 64;

  private final Engine engine;
  private final Cache<SnapshotKey, Snapshot> snapshots =
      Caffeine.newBuilder().maximumSize(SNAPSHOTS).build();
  private final Cache<SnapshotKey, ScanState> scanStates =
      Caffeine.newBuilder().maximumSize(SNAPSHOTS).build();
  private final Cache<SnapshotKey, List<DataFile>> dataFiles =
      Caffeine.newBuilder().maximumSize(SNAPSHOTS).build();
  // A data file never changes: its parsed statistics serve every version that still has it.
  private final Cache<String, FilePruning.FileStats> fileStats =
      Caffeine.newBuilder().maximumSize(200_000).build();
  private final Cache<FileKey, List<Object[]>> fileRows;
  private final java.util.concurrent.atomic.LongAdder filesRead =
      new java.util.concurrent.atomic.LongAdder();

  /** {@code fileCacheMaxBytes}: the most the decoded file rows may weigh (estimated). */
  KernelReads(Configuration conf, long fileCacheMaxBytes) {
    this.engine = DefaultEngine.create(conf);
    this.fileRows =
        Caffeine.newBuilder()
            .maximumWeight(fileCacheMaxBytes)
            .weigher(
                (FileKey k, List<Object[]> rows) ->
                    (int)
                        Math.min(
                            Integer.MAX_VALUE,
                            RowSet.estimatedBytes(
                                rows.size(), rows.isEmpty() ? 0 : rows.get(0).length)))
            .build();
  }

  /** Column name → Kernel type of the table at {@code version}, in schema order. */
  Map<String, DataType> schema(String location, long version) {
    Map<String, DataType> types = new LinkedHashMap<>();
    for (StructField f : snapshot(location, version).getSchema().fields()) {
      types.put(f.getName(), f.getDataType());
    }
    return types;
  }

  /** The commit time of {@code version} (epoch millis). */
  long commitMillis(String location, long version) {
    return snapshot(location, version).getTimestamp(engine);
  }

  /**
   * The rows of the files of {@code version} that {@code pruning} keeps, with {@code columns}
   * (every column when empty), in file order.
   */
  RowSet read(String location, long version, FilePruning pruning, List<String> columns) {
    ScanState state = scanStates.get(new SnapshotKey(location, version), this::scanState);
    List<String> names = columns.isEmpty() ? state.columns() : List.copyOf(columns);
    int[] project = names.stream().mapToInt(state.columns()::indexOf).toArray();
    boolean everyColumn = names.equals(state.columns());
    List<Object[]> rows = new ArrayList<>();
    for (DataFile file : dataFiles(location, version)) {
      if (!pruning.mayMatch(file.partitionValues(), file.stats())) {
        continue;
      }
      List<Object[]> fileRows = cachedFile(state, file.scanFile());
      if (everyColumn) {
        rows.addAll(fileRows);
        continue;
      }
      for (Object[] row : fileRows) {
        Object[] r = new Object[project.length];
        for (int i = 0; i < project.length; i++) {
          r[i] = row[project[i]];
        }
        rows.add(r);
      }
    }
    return new RowSet(version, names, rows);
  }

  /**
   * How a version's files are read: every column (from the snapshot's metadata alone, no log
   * replay). Files are decoded with all their columns once, whatever a query asks: the panels of a
   * dashboard ask different columns of the same new files, and the fixed cost of opening a small
   * file (its footer is read twice) outweighs decoding a few more columns.
   */
  private record ScanState(Row row, StructType physical, List<String> columns) {}

  private ScanState scanState(SnapshotKey key) {
    Snapshot snapshot = snapshot(key.location(), key.version());
    Row row = snapshot.getScanBuilder().build().getScanState(engine);
    List<String> columns = new ArrayList<>();
    snapshot.getSchema().fields().forEach(f -> columns.add(f.getName()));
    return new ScanState(row, ScanStateRow.getPhysicalDataReadSchema(row), List.copyOf(columns));
  }

  /** One data file of a version: Kernel's scan-file row, its partition values and statistics. */
  private record DataFile(
      Row scanFile, Map<String, String> partitionValues, FilePruning.FileStats stats) {}

  private List<DataFile> dataFiles(String location, long version) {
    return dataFiles.get(new SnapshotKey(location, version), k -> listDataFiles(location, version));
  }

  /**
   * Every data file of the version, by one log replay with statistics. The rows are kept: the
   * default engine's readers allocate new vectors for every batch, so a row stays valid.
   */
  private List<DataFile> listDataFiles(String location, long version) {
    ScanImpl scan = (ScanImpl) snapshot(location, version).getScanBuilder().build();
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            FilePruning.FileStats stats =
                fileStats.get(
                    InternalScanFileUtils.getFilePath(scanFile),
                    path -> FilePruning.FileStats.parse(statsJson(scanFile)));
            files.add(
                new DataFile(scanFile, InternalScanFileUtils.getPartitionValues(scanFile), stats));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list the files of the Delta table at " + location + " (version " + version + ")",
          e);
    }
    return Collections.unmodifiableList(files);
  }

  private static String statsJson(Row scanFile) {
    Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
    int at = InternalScanFileUtils.ADD_FILE_STATS_ORDINAL;
    return add.isNullAt(at) ? null : add.getString(at);
  }

  /** Data files read since start: what partition pruning and stats skipping left to read. */
  long filesRead() {
    return filesRead.sum();
  }

  private Snapshot snapshot(String location, long version) {
    return snapshots.get(
        new SnapshotKey(location, version),
        k -> TableManager.loadSnapshot(location).atVersion(version).build(engine));
  }

  private record SnapshotKey(String location, long version) {}

  private record FileKey(String path, String deletionVector, String types) {}

  private List<Object[]> cachedFile(ScanState state, Row scanFile) {
    DeletionVectorDescriptor dv =
        InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
    FileKey key =
        new FileKey(
            InternalScanFileUtils.getFilePath(scanFile),
            dv == null ? "" : dv.getUniqueId(),
            state.physical().toString());
    return fileRows.get(
        key,
        k -> {
          List<Object[]> rows = new ArrayList<>();
          try {
            readFile(state.row(), scanFile, state.physical(), state.columns(), rows);
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + k.path(), e);
          }
          return Collections.unmodifiableList(rows);
        });
  }

  private void readFile(
      Row scanState, Row scanFile, StructType physical, List<String> names, List<Object[]> sink)
      throws IOException {
    FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
    filesRead.increment();
    CloseableIterator<ColumnarBatch> data =
        engine
            .getParquetHandler()
            .readParquetFiles(Utils.singletonCloseableIterator(file), physical, Optional.empty())
            .map(FileReadResult::getData);
    try (CloseableIterator<FilteredColumnarBatch> logical =
        Scan.transformPhysicalData(engine, scanState, scanFile, data)) {
      while (logical.hasNext()) {
        FilteredColumnarBatch batch = logical.next();
        ColumnarBatch b = batch.getData();
        StructType s = b.getSchema();
        int[] ordinals = new int[names.size()];
        for (int i = 0; i < ordinals.length; i++) {
          ordinals[i] = s.indexOf(names.get(i));
        }
        Optional<ColumnVector> selection = batch.getSelectionVector();
        for (int r = 0; r < b.getSize(); r++) {
          if (selection.isPresent()
              && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
            continue;
          }
          Object[] row = new Object[ordinals.length];
          for (int i = 0; i < ordinals.length; i++) {
            ColumnVector v = b.getColumnVector(ordinals[i]);
            row[i] = value(v, s.at(ordinals[i]).getDataType(), r);
          }
          sink.add(row);
        }
      }
    }
  }

  /** Plain Java values; nested types are not served (no Gold column has one). */
  private static Object value(ColumnVector v, DataType type, int row) {
    if (v.isNullAt(row)) {
      return null;
    }
    if (type instanceof StringType) {
      return v.getString(row);
    } else if (type instanceof DoubleType) {
      return v.getDouble(row);
    } else if (type instanceof LongType) {
      return v.getLong(row);
    } else if (type instanceof IntegerType) {
      return v.getInt(row);
    } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      long micros = v.getLong(row);
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    } else if (type instanceof DateType) {
      return LocalDate.ofEpochDay(v.getInt(row));
    } else if (type instanceof BooleanType) {
      return v.getBoolean(row);
    } else if (type instanceof FloatType) {
      return (double) v.getFloat(row);
    } else if (type instanceof ShortType) {
      return (int) v.getShort(row);
    } else if (type instanceof ByteType) {
      return (int) v.getByte(row);
    } else if (type instanceof BinaryType) {
      // Quarantined payloads: the original record's bytes, shown as text.
      return new String(v.getBinary(row), StandardCharsets.UTF_8);
    }
    return String.valueOf(type);
  }
}

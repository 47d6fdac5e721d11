package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.DeltaSchemas;
import dev.ticklake.transforms.delta.internal.DeltaStats;
import dev.ticklake.transforms.delta.internal.HadoopConf;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;

/**
 * A plain (non-Beam) read of one snapshot of a Delta table: {@link DeltaTable#scan()}. For services
 * and tools that need a table's rows in the calling thread (data-quality pages, benchmarks), read
 * the same way DeltaIO's workers read: the file list from the log, each Parquet file with its
 * partition columns set from the log's values.
 *
 * <p>Guarantees: {@link #files()} is one consistent snapshot (the pinned {@link #atVersion
 * version}, or the latest when called); rows come as Avro records in the scan's schema (default:
 * converted from the table's Delta schema; timestamps as {@code long} microseconds, dates as {@code
 * int} days). Bounded; nothing is cached. Immutable: each {@code withX}/{@code atVersion} returns a
 * new scan and rejects an invalid argument with an {@link IllegalArgumentException}. A table that
 * does not exist scans as empty.
 */
public final class DeltaScan {
  private static final long LATEST = -1;

  private final DeltaTable table;
  private final long version;
  private final Predicate<Map<String, String>> partitionFilter;
  private final Schema schema;

  DeltaScan(
      DeltaTable table,
      long version,
      Predicate<Map<String, String>> partitionFilter,
      Schema schema) {
    this.table = table;
    this.version = version;
    this.partitionFilter = partitionFilter;
    this.schema = schema;
  }

  /** One data file of the scanned snapshot. */
  public record ScanFile(
      String path,
      Map<String, String> partitionValues,
      long sizeBytes,
      long modificationTime,
      long numRecords)
      implements Serializable {}

  /** The snapshot at {@code version} instead of the latest. */
  public DeltaScan atVersion(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("DeltaScan.atVersion: version must be >= 0, got " + v);
    }
    return new DeltaScan(table, v, partitionFilter, schema);
  }

  /**
   * Only the files whose partition values {@code keep} accepts (column → value as the log stores
   * it; dates ISO-8601). Default: every file.
   */
  public DeltaScan withPartitionFilter(Predicate<Map<String, String>> keep) {
    if (keep == null) {
      throw new IllegalArgumentException("DeltaScan.withPartitionFilter: filter is null");
    }
    return new DeltaScan(table, version, keep, schema);
  }

  /** The schema rows are read in (must hold the table's columns by name). */
  public DeltaScan withSchema(Schema rowSchema) {
    if (rowSchema == null || rowSchema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("DeltaScan.withSchema: need a record schema");
    }
    return new DeltaScan(table, version, partitionFilter, rowSchema);
  }

  /** The snapshot's data files that pass the partition filter, in the log's order. */
  public List<ScanFile> files() {
    List<ScanFile> files = new ArrayList<>();
    for (AddFile f : table.filesAt(version)) {
      if (partitionFilter == null || partitionFilter.test(f.getPartitionValues())) {
        files.add(
            new ScanFile(
                f.getPath(),
                Map.copyOf(f.getPartitionValues()),
                f.getSize(),
                f.getModificationTime(),
                DeltaStats.numRecords(f.getStats())));
      }
    }
    return files;
  }

  /** Every row of the selected files. */
  public List<GenericRecord> rows() {
    List<GenericRecord> rows = new ArrayList<>();
    forEachRow(rows::add);
    return rows;
  }

  /** Hands every row of the selected files to {@code out}, file by file. */
  public void forEachRow(Consumer<GenericRecord> out) {
    List<ScanFile> files = files();
    if (files.isEmpty()) {
      return;
    }
    Reader reader = new Reader();
    for (ScanFile f : files) {
      reader.read(f, out);
    }
  }

  /** The rows of one file of {@link #files()}. */
  public List<GenericRecord> rows(ScanFile file) {
    List<GenericRecord> rows = new ArrayList<>();
    new Reader().read(file, rows::add);
    return rows;
  }

  /** The layout and Hadoop configuration of one pass over the files. */
  private final class Reader {
    private final Configuration conf = HadoopConf.of(table.hadoopSettings());
    private final TableLayout layout =
        new TableLayout(
            schema != null
                ? schema
                : DeltaSchemas.toAvro(
                    table
                        .schema()
                        .orElseThrow(() -> new IllegalStateException("no table at " + table)),
                    "Row"),
            table.partitionColumns(),
            List.of());

    void read(ScanFile file, Consumer<GenericRecord> out) {
      try {
        ParquetDataFiles.read(
            conf, table.location(), file.path(), file.partitionValues(), layout, out);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read " + file.path() + " of the Delta table at " + table.location(), e);
      }
    }
  }
}

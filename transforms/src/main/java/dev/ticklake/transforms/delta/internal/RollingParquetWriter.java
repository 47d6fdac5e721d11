package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.hadoop.conf.Configuration;

/**
 * The one place where rows become data files: one open Parquet file per partition, a file closed
 * (and handed to the caller as a {@link DataFileAction}) when it reaches the target size, when more
 * than {@code maxOpenFiles} partitions are open (least recently used first), or when the caller
 * finishes. Files are opened lazily: a partition without rows gets no file. Not thread-safe; one
 * per bundle or task.
 *
 * <p>The size is checked every {@value #SIZE_CHECK_EVERY} rows (a file's size is an estimate that
 * costs a little to compute); row groups are at most 128 MiB.
 */
public final class RollingParquetWriter {
  static final int SIZE_CHECK_EVERY = 1024;
  private static final long MAX_ROW_GROUP_BYTES = 128L << 20;

  private final Configuration conf;
  private final String location;
  private final TableLayout layout;
  private final long targetFileBytes;
  private final boolean rollBySize;
  private final int maxOpenFiles;
  private final LinkedHashMap<String, ParquetDataFiles.Writer> open =
      new LinkedHashMap<>(16, 0.75f, true);

  private RollingParquetWriter(
      Configuration conf,
      String location,
      TableLayout layout,
      long targetFileBytes,
      boolean rollBySize,
      int maxOpenFiles) {
    this.conf = conf;
    this.location = location;
    this.layout = layout;
    this.targetFileBytes = targetFileBytes;
    this.rollBySize = rollBySize;
    this.maxOpenFiles = maxOpenFiles;
  }

  /** Files of about {@code targetFileBytes}, at most {@code maxOpenFiles} open at once. */
  public static RollingParquetWriter rolling(
      Configuration conf,
      String location,
      TableLayout layout,
      long targetFileBytes,
      int maxOpenFiles) {
    if (maxOpenFiles < 1) {
      throw new IllegalArgumentException("maxOpenFiles must be >= 1, got " + maxOpenFiles);
    }
    return new RollingParquetWriter(conf, location, layout, targetFileBytes, true, maxOpenFiles);
  }

  /**
   * One file per partition whatever its size (rewrites and compaction, which size their input
   * themselves); {@code targetFileBytes} only bounds the row groups.
   */
  public static RollingParquetWriter oneFilePerPartition(
      Configuration conf, String location, TableLayout layout, long targetFileBytes) {
    return new RollingParquetWriter(
        conf, location, layout, targetFileBytes, false, Integer.MAX_VALUE);
  }

  /** Writes a full row (partition columns included) into its partition's file. */
  public void write(IndexedRecord row, Consumer<DataFileAction> out) throws IOException {
    write(layout.partitions().keyOf(row), null, row, out);
  }

  /**
   * Writes a row into the file of the partition named by {@code key}; a new file gets the directory
   * and log values of {@code partition} (null: taken from the row).
   */
  private void write(
      String key, Map<String, String> partition, IndexedRecord row, Consumer<DataFileAction> out)
      throws IOException {
    ParquetDataFiles.Writer writer = open.get(key);
    if (writer == null) {
      if (open.size() >= maxOpenFiles) {
        Iterator<ParquetDataFiles.Writer> lru = open.values().iterator();
        out.accept(lru.next().finish());
        lru.remove();
      }
      Map<String, String> values = partition != null ? partition : layout.partitions().of(row);
      writer =
          ParquetDataFiles.open(
              conf, location, layout, values, Math.min(targetFileBytes, MAX_ROW_GROUP_BYTES));
      open.put(key, writer);
    }
    writer.write(row);
    if (rollBySize
        && writer.rows() % SIZE_CHECK_EVERY == 0
        && writer.dataSize() >= targetFileBytes) {
      out.accept(writer.finish());
      open.remove(key);
    }
  }

  /**
   * Copies the rows of an existing data file that {@code keep} accepts into a file of {@code
   * partition} (the new file's partition values, in the order its directory names them).
   */
  public void copyRows(
      String uriPath,
      Map<String, String> logPartitionValues,
      Map<String, String> partition,
      Predicate<GenericRecord> keep,
      Consumer<DataFileAction> out)
      throws IOException {
    String key = PartitionValues.directory(partition);
    IOException[] failure = {null};
    ParquetDataFiles.read(
        conf,
        location,
        uriPath,
        logPartitionValues,
        layout,
        r -> {
          if (failure[0] != null || !keep.test(r)) {
            return;
          }
          try {
            write(key, partition, r, out);
          } catch (IOException e) {
            failure[0] = e;
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /** Closes the open files that hold at least {@code rows} rows. */
  public void closeFilesWithAtLeast(long rows, Consumer<DataFileAction> out) throws IOException {
    Iterator<ParquetDataFiles.Writer> files = open.values().iterator();
    while (files.hasNext()) {
      ParquetDataFiles.Writer w = files.next();
      if (w.rows() >= rows) {
        out.accept(w.finish());
        files.remove();
      }
    }
  }

  /** Closes every open file. The writer can be used again afterwards. */
  public void finish(Consumer<DataFileAction> out) throws IOException {
    for (ParquetDataFiles.Writer w : open.values()) {
      out.accept(w.finish());
    }
    open.clear();
  }
}

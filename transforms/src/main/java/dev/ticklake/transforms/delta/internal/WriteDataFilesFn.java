package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaIO;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes the rows of a bundle into Parquet files, one open file per partition, and emits one {@link
 * DataFileAction} per file. No shuffle: each worker writes what it holds. A file is closed when it
 * reaches the target size, when more than {@code maxOpenFiles} partitions are open (the least
 * recently used is closed) and at the end of the bundle. If the bundle fails, its files are never
 * committed (orphans, removed by vacuum); the retried bundle writes new ones.
 */
public final class WriteDataFilesFn extends DoFn<GenericRecord, DataFileAction> {
  private static final long serialVersionUID = 1L;
  private static final int SIZE_CHECK_EVERY = 1024;

  private final String location;
  private final Map<String, String> hadoopSettings;
  private final TableLayout layout;
  private final long targetFileBytes;
  private final int maxOpenFiles;
  private final Counter rowsWritten;
  private final Counter filesWritten;

  private transient Configuration conf;
  private transient LinkedHashMap<String, ParquetDataFiles.Writer> open;

  public WriteDataFilesFn(
      String location,
      String tableName,
      Map<String, String> hadoopSettings,
      TableLayout layout,
      long targetFileBytes,
      int maxOpenFiles) {
    this.location = location;
    this.hadoopSettings = hadoopSettings;
    this.layout = layout;
    this.targetFileBytes = targetFileBytes;
    this.maxOpenFiles = maxOpenFiles;
    this.rowsWritten = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".rowsWritten");
    this.filesWritten = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".filesWritten");
  }

  @Setup
  public void setup() {
    conf = HadoopConf.of(hadoopSettings);
  }

  @StartBundle
  public void startBundle() {
    open = new LinkedHashMap<>(16, 0.75f, true);
  }

  @ProcessElement
  public void process(@Element GenericRecord row, OutputReceiver<DataFileAction> out)
      throws IOException {
    String key = layout.partitions().keyOf(row);
    ParquetDataFiles.Writer w = open.get(key);
    if (w == null) {
      if (open.size() >= maxOpenFiles) {
        Iterator<ParquetDataFiles.Writer> lru = open.values().iterator();
        out.output(finish(lru.next()));
        lru.remove();
      }
      w =
          ParquetDataFiles.open(
              conf,
              location,
              layout,
              layout.partitions().of(row),
              Math.min(targetFileBytes, 128L << 20));
      open.put(key, w);
    }
    w.write(row);
    if (w.rows() % SIZE_CHECK_EVERY == 0 && w.dataSize() >= targetFileBytes) {
      out.output(finish(w));
      open.remove(key);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException {
    for (ParquetDataFiles.Writer w : open.values()) {
      c.output(finish(w), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
    open.clear();
  }

  private DataFileAction finish(ParquetDataFiles.Writer w) throws IOException {
    DataFileAction f = w.finish();
    rowsWritten.inc(f.numRecords());
    filesWritten.inc();
    return f;
  }
}

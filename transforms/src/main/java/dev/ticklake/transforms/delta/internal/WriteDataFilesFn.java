package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaIO;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
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

  private final String location;
  private final Map<String, String> hadoopSettings;
  private final TableLayout layout;
  private final long targetFileBytes;
  private final int maxOpenFiles;
  private final Counter rowsWritten;
  private final Counter filesWritten;

  private transient Configuration conf;
  private transient RollingParquetWriter files;

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
    files = RollingParquetWriter.rolling(conf, location, layout, targetFileBytes, maxOpenFiles);
  }

  @ProcessElement
  public void process(@Element GenericRecord row, OutputReceiver<DataFileAction> out)
      throws IOException {
    files.write(row, counted(out::output));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException {
    files.finish(
        counted(f -> c.output(f, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE)));
  }

  private Consumer<DataFileAction> counted(Consumer<DataFileAction> out) {
    return f -> {
      rowsWritten.inc(f.numRecords());
      filesWritten.inc();
      out.accept(f);
    };
  }
}

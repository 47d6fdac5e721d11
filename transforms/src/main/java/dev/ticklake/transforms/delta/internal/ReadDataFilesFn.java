package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DataFileReader;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.util.BucketKeys;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The two steps of a read: list the files of the requested range, then read each file. */
public final class ReadDataFilesFn {
  private ReadDataFilesFn() {}

  /**
   * At most this many buckets of files per read: a runner's cost per key (the DirectRunner's work
   * per bundle, a bundle per key) must not grow with the file count of a decade-long backfill.
   */
  public static final int MAX_FILE_BUCKETS = 64;

  /**
   * Lists the data files of a snapshot or of a version range when the pipeline runs, keyed for the
   * workers: largest first, file {@code i} under bucket key {@code i mod b} of the read's {@link
   * BucketKeys}, where {@code b = min(files, }{@value #MAX_FILE_BUCKETS}{@code )}.
   */
  public static final class ListFiles extends DoFn<byte[], KV<Integer, DataFileAction>> {
    private static final long serialVersionUID = 1L;
    private final String location;
    private final Map<String, String> hadoopSettings;
    private final ReadRange range;
    private final SerializableFunction<Map<String, String>, Boolean> partitionFilter;
    private final BucketKeys fileKeys;

    public ListFiles(
        String location,
        Map<String, String> hadoopSettings,
        ReadRange range,
        SerializableFunction<Map<String, String>, Boolean> partitionFilter,
        BucketKeys fileKeys) {
      this.location = location;
      this.hadoopSettings = hadoopSettings;
      this.range = range;
      this.partitionFilter = partitionFilter;
      this.fileKeys = fileKeys;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Integer, DataFileAction>> out, PipelineOptions options) {
      DeltaTable table = DeltaTable.at(location, hadoopSettings);
      List<AddFile> files =
          switch (range.kind()) {
            case LATEST -> table.filesAt(-1);
            case VERSION -> table.filesAt(range.from());
            case TIMESTAMP -> table.filesAt(table.versionAtTimestamp(range.from()));
            case CHANGES ->
                table.filesAddedBetween(
                    range.from(), range.to() < 0 ? table.latestVersion() : range.to());
          };
      List<AddFile> selected = new ArrayList<>();
      for (AddFile f : files) {
        if (partitionFilter == null || partitionFilter.apply(f.getPartitionValues())) {
          selected.add(f);
        }
      }
      selected.sort(
          Comparator.comparingLong(AddFile::getSize).reversed().thenComparing(AddFile::getPath));
      int buckets = Math.min(selected.size(), MAX_FILE_BUCKETS);
      int[] keys = BucketKeys.checked(fileKeys, buckets, options);
      for (int i = 0; i < selected.size(); i++) {
        out.output(KV.of(keys[i % buckets], DataFileActions.toRead(selected.get(i))));
      }
    }
  }

  /** Reads every row of one data file with a {@link DataFileReader}, counting the rows. */
  public static final class ReadFile<T> extends DoFn<DataFileAction, T> {
    private static final long serialVersionUID = 1L;
    private final String location;
    private final Map<String, String> hadoopSettings;
    private final DataFileReader<T> reader;
    private final Counter rowsRead;
    private transient Configuration conf;

    public ReadFile(
        String location,
        String tableName,
        Map<String, String> hadoopSettings,
        DataFileReader<T> reader) {
      this.location = location;
      this.hadoopSettings = hadoopSettings;
      this.reader = reader;
      this.rowsRead = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".rowsRead");
    }

    @Setup
    public void setup() {
      conf = HadoopConf.of(hadoopSettings);
    }

    @ProcessElement
    public void process(@Element DataFileAction file, OutputReceiver<T> out) throws IOException {
      long[] n = {0};
      reader.read(
          conf,
          ParquetDataFiles.resolve(location, file.path()),
          file.partitionValues(),
          row -> {
            out.output(row);
            n[0]++;
          });
      rowsRead.inc(n[0]);
    }
  }

  /** Rows as Avro records in a table's schema, partition columns set from the log. */
  public static final class AvroRows implements DataFileReader<GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final TableLayout layout;

    public AvroRows(TableLayout layout) {
      this.layout = layout;
    }

    @Override
    public void read(
        Configuration conf,
        Path file,
        Map<String, String> partitionValues,
        Consumer<GenericRecord> out)
        throws IOException {
      ParquetDataFiles.read(conf, file, partitionValues, layout, out);
    }
  }
}

package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.DataFileActions;
import dev.ticklake.transforms.delta.internal.ReadDataFilesFn;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.standalone.actions.AddFile;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Reads the rows of a Delta snapshot's files that lie in the partitions named by the input: each
 * input element is a partition spec, a map from some partition columns to values as the Delta log
 * stores them (dates ISO-8601), e.g. {@code {symbol=AAPL}} for every date of AAPL in a table
 * partitioned by (symbol, trade_date). A file is read when its partition values contain every entry
 * of at least one spec; each file at most once, however many specs match it. No spec, no rows.
 *
 * <p>This is the read-all form of {@link DeltaRead}: the pruning is decided inside the pipeline
 * (e.g. from the symbols a batch touched), while the file list is still taken from the log, so no
 * file outside the named partitions is opened. Bounded. The snapshot is the one at {@link
 * #atVersion} (pin it for a deterministic batch) or the latest when the step runs; a table that
 * does not exist (yet), or {@code atVersion(-1)}, reads as empty, so a pipeline can read the
 * history of a table it is about to create.
 */
public final class ReadPartitions
    extends PTransform<PCollection<Map<String, String>>, PCollection<GenericRecord>> {
  private static final long serialVersionUID = 1L;
  private static final long LATEST = Long.MIN_VALUE;

  private final DeltaTableSpec table;
  private final String location;
  private final long version;
  private final Map<String, String> hadoopConf;

  private ReadPartitions(
      DeltaTableSpec table, String location, long version, Map<String, String> hadoopConf) {
    this.table = table;
    this.location = location;
    this.version = version;
    this.hadoopConf = Map.copyOf(hadoopConf);
  }

  static ReadPartitions create() {
    // Copied now, so that they travel with the transform to workers in other JVMs.
    return new ReadPartitions(null, null, LATEST, HadoopSettings.processWide());
  }

  /** The table: location, name, schema (required) and partition columns. */
  public ReadPartitions from(DeltaTableSpec table) {
    if (table == null || table.schema() == null) {
      throw new IllegalArgumentException(
          "DeltaIO.readPartitions().from(spec): the spec is null or has no schema");
    }
    return new ReadPartitions(table, table.location(), version, hadoopConf);
  }

  /** The snapshot at {@code version}; -1 means "before the table existed": no rows. */
  public ReadPartitions atVersion(long version) {
    if (version < -1) {
      throw new IllegalArgumentException(
          "DeltaIO.readPartitions().atVersion: version must be >= -1 but was " + version);
    }
    return new ReadPartitions(table, location, version, hadoopConf);
  }

  /**
   * Extra Hadoop settings for the file system, over the process-wide ones ({@link HadoopSettings}).
   */
  public ReadPartitions withHadoopConfiguration(Map<String, String> settings) {
    if (settings == null) {
      throw new IllegalArgumentException("withHadoopConfiguration: the map is null");
    }
    return new ReadPartitions(table, location, version, HadoopSettings.effective(settings));
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<Map<String, String>> specs) {
    Objects.requireNonNull(table, "DeltaIO.readPartitions(): call .from(spec)");
    Schema schema = table.schema();
    TableLayout layout = new TableLayout(schema, table.partitionColumns(), List.of());
    return readFiles(specs, new ReadDataFilesFn.AvroRows(layout)).setCoder(AvroCoder.of(schema));
  }

  /**
   * The same files, each read by {@code reader} into elements coded with {@code coder} instead of
   * Avro records in the table's schema (see {@link DeltaRead#readingFilesWith}).
   */
  public <T> PTransform<PCollection<Map<String, String>>, PCollection<T>> readingFilesWith(
      DataFileReader<T> reader, Coder<T> coder) {
    Objects.requireNonNull(table, "DeltaIO.readPartitions(): call .from(spec)");
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(coder, "coder");
    ReadPartitions files = this;
    return new PTransform<>() {
      @Override
      public PCollection<T> expand(PCollection<Map<String, String>> specs) {
        return files.readFiles(specs, reader).setCoder(coder);
      }
    };
  }

  private <T> PCollection<T> readFiles(
      PCollection<Map<String, String>> specs, DataFileReader<T> reader) {
    PCollectionView<List<Map<String, String>>> specView = specs.apply("AsList", View.asList());
    return specs
        .getPipeline()
        .apply("Impulse", Impulse.create())
        .apply(
            "ListMatchingFiles",
            ParDo.of(new ListMatchingFiles(location, hadoopConf, version, specView))
                .withSideInputs(specView))
        .setCoder(SerializableCoder.of(DataFileAction.class))
        .apply(
            "DistributeFiles",
            Reshuffle.<DataFileAction>viaRandomKey()
                .withNumBuckets(ReadDataFilesFn.MAX_FILE_BUCKETS))
        .apply(
            "ReadFiles",
            ParDo.of(new ReadDataFilesFn.ReadFile<>(location, table.name(), hadoopConf, reader)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    if (table != null) {
      builder
          .add(DisplayData.item("table", table.name()).withLabel("Table"))
          .add(DisplayData.item("location", location).withLabel("Table path"))
          .add(
              DisplayData.item("partitionColumns", String.join(",", table.partitionColumns()))
                  .withLabel("Partition columns"));
    }
    builder.add(
        DisplayData.item("version", version == LATEST ? "latest" : Long.toString(version))
            .withLabel("Snapshot version"));
  }

  /** Lists the snapshot's files once and emits those that match a spec. */
  private static final class ListMatchingFiles extends DoFn<byte[], DataFileAction> {
    private static final long serialVersionUID = 1L;
    private final String location;
    private final Map<String, String> hadoopSettings;
    private final long version;
    private final PCollectionView<List<Map<String, String>>> specs;

    ListMatchingFiles(
        String location,
        Map<String, String> hadoopSettings,
        long version,
        PCollectionView<List<Map<String, String>>> specs) {
      this.location = location;
      this.hadoopSettings = hadoopSettings;
      this.version = version;
      this.specs = specs;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<Map<String, String>> wanted = c.sideInput(specs);
      if (wanted.isEmpty() || version == -1) {
        return;
      }
      DeltaTable delta = DeltaTable.at(location, hadoopSettings);
      if (!delta.exists()) {
        return;
      }
      for (AddFile f : delta.filesAt(version == LATEST ? -1 : version)) {
        if (matchesAny(f.getPartitionValues(), wanted)) {
          c.output(DataFileActions.toRead(f));
        }
      }
    }

    private static boolean matchesAny(
        Map<String, String> partition, List<Map<String, String>> wanted) {
      for (Map<String, String> spec : wanted) {
        if (partition.entrySet().containsAll(spec.entrySet())) {
          return true;
        }
      }
      return false;
    }
  }
}

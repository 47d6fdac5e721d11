package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.DeltaSchemas;
import dev.ticklake.transforms.delta.internal.ReadDataFilesFn;
import dev.ticklake.transforms.delta.internal.ReadRange;
import dev.ticklake.transforms.delta.internal.TableLayout;
import dev.ticklake.transforms.util.BucketKeys;
import io.delta.standalone.types.StructType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@link DeltaIO#read()}: reads a table's rows, a snapshot or the rows added in a version range
 * (see the "Reading" section of {@link DeltaIO}). Bounded. Immutable: every {@code withX} returns a
 * new read and rejects an invalid argument with an {@link IllegalArgumentException}.
 */
public final class DeltaRead extends PTransform<PBegin, PCollection<GenericRecord>> {
  private static final long serialVersionUID = 1L;
  private final String location;
  private final String tableName;
  private final String schemaJson;
  private final ReadRange range;
  private final Map<String, String> hadoopConf;
  private final SerializableFunction<Map<String, String>, Boolean> partitionFilter;
  private final BucketKeys fileKeys;

  static DeltaRead create() {
    return new DeltaRead(
        null,
        null,
        null,
        ReadRange.latest(),
        HadoopSettings.processWide(),
        null,
        BucketKeys.IDENTITY);
  }

  private DeltaRead(
      String location,
      String tableName,
      String schemaJson,
      ReadRange range,
      Map<String, String> hadoopConf,
      SerializableFunction<Map<String, String>, Boolean> partitionFilter,
      BucketKeys fileKeys) {
    this.location = location;
    this.tableName = tableName;
    this.schemaJson = schemaJson;
    this.range = range;
    this.hadoopConf = Map.copyOf(hadoopConf);
    this.partitionFilter = partitionFilter;
    this.fileKeys = Objects.requireNonNull(fileKeys, "fileKeys");
  }

  private DeltaRead with(ReadRange newRange) {
    return new DeltaRead(
        location, tableName, schemaJson, newRange, hadoopConf, partitionFilter, fileKeys);
  }

  /** The table's location (local path or Hadoop URI). */
  public DeltaRead from(String location) {
    requireArgument(location != null && !location.isBlank(), "from: location is null or blank");
    return new DeltaRead(
        location, tableName, schemaJson, range, hadoopConf, partitionFilter, fileKeys);
  }

  /**
   * A table by its spec: location and name, and rows read in the spec's schema when it has one
   * (otherwise in the schema converted from the table's Delta schema).
   */
  public DeltaRead from(DeltaTableSpec table) {
    requireArgument(table != null, "from: spec is null");
    return new DeltaRead(
        table.location(),
        table.name(),
        table.schema() == null ? schemaJson : table.schema().toString(),
        range,
        hadoopConf,
        partitionFilter,
        fileKeys);
  }

  /** The schema to read rows in (default: converted from the table's Delta schema). */
  public DeltaRead withSchema(Schema schema) {
    requireArgument(schema != null, "withSchema: schema is null");
    return new DeltaRead(
        location, tableName, schema.toString(), range, hadoopConf, partitionFilter, fileKeys);
  }

  /** The name used in messages and metrics. */
  public DeltaRead withTableName(String name) {
    requireArgument(name != null && !name.isBlank(), "withTableName: name is null or blank");
    return new DeltaRead(location, name, schemaJson, range, hadoopConf, partitionFilter, fileKeys);
  }

  /** The snapshot at a version. */
  public DeltaRead atVersion(long version) {
    requireArgument(version >= 0, "atVersion: version must be >= 0, got " + version);
    return with(ReadRange.version(version));
  }

  /** The snapshot that was current at a time (epoch milliseconds). */
  public DeltaRead atTimestamp(long epochMillis) {
    return with(ReadRange.timestamp(epochMillis));
  }

  /**
   * The rows added by commits in {@code (fromExclusive, toInclusive]}; {@code fromExclusive = -1}
   * reads the snapshot at {@code toInclusive}. See {@link DeltaTable#filesAddedBetween}.
   */
  public DeltaRead changesBetween(long fromExclusive, long toInclusive) {
    requireArgument(
        fromExclusive >= -1 && toInclusive >= -1,
        "changesBetween: versions must be >= -1, got (" + fromExclusive + ", " + toInclusive + "]");
    return with(ReadRange.changes(fromExclusive, toInclusive));
  }

  /**
   * Reads only the data files whose partition values {@code keep} accepts (partition pruning on the
   * file list, before any file is opened). {@code keep} gets the file's partition values as the
   * Delta log stores them: column → string, dates ISO-8601 (e.g. {@code {trade_date=2026-11-20}});
   * it must be deterministic. Applies to every range, including {@link #changesBetween}. Default:
   * every file.
   */
  public DeltaRead withPartitionFilter(SerializableFunction<Map<String, String>, Boolean> keep) {
    requireArgument(keep != null, "withPartitionFilter: filter is null");
    return new DeltaRead(location, tableName, schemaJson, range, hadoopConf, keep, fileKeys);
  }

  /**
   * The keys the files travel under to the workers that read them (default {@link
   * BucketKeys#IDENTITY}): the files, largest first, are buckets 0, 1, 2, ... With keys that a
   * hash-partitioning runner spreads evenly (Flink: {@code FlinkBucketKeys}), every worker reads
   * its share; random keys would, with two files, give both to one worker half the time.
   */
  public DeltaRead distributingFilesWith(BucketKeys keys) {
    requireArgument(keys != null, "distributingFilesWith: keys are null");
    return new DeltaRead(location, tableName, schemaJson, range, hadoopConf, partitionFilter, keys);
  }

  /**
   * Extra Hadoop settings for the file system, over the process-wide ones ({@link HadoopSettings}).
   */
  public DeltaRead withHadoopConfiguration(Map<String, String> settings) {
    requireArgument(settings != null, "withHadoopConfiguration: the map is null");
    // With the process-wide ones: the workers of a remote cluster have only what travels here.
    return new DeltaRead(
        location,
        tableName,
        schemaJson,
        range,
        HadoopSettings.effective(settings),
        partitionFilter,
        fileKeys);
  }

  /**
   * The same selection of files (table, range, partition filter), each read by {@code reader} into
   * elements coded with {@code coder} instead of Avro records in the table's schema.
   */
  public <T> PTransform<PBegin, PCollection<T>> readingFilesWith(
      DataFileReader<T> reader, Coder<T> coder) {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(coder, "coder");
    DeltaRead files = this;
    return new PTransform<>() {
      @Override
      public PCollection<T> expand(PBegin input) {
        files.existingSchema(); // fails clearly when the table does not exist
        return files.readFiles(input, reader).setCoder(coder);
      }
    };
  }

  @Override
  public PCollection<GenericRecord> expand(PBegin input) {
    StructType deltaSchema = existingSchema();
    Schema schema =
        schemaJson != null
            ? new Schema.Parser().parse(schemaJson)
            : DeltaSchemas.toAvro(deltaSchema, "Row");
    TableLayout layout =
        new TableLayout(schema, DeltaTable.at(location, hadoopConf).partitionColumns(), List.of());
    return readFiles(input, new ReadDataFilesFn.AvroRows(layout)).setCoder(AvroCoder.of(schema));
  }

  /** The table's Delta schema; an error that says what to do when there is no table. */
  private StructType existingSchema() {
    Objects.requireNonNull(location, "DeltaIO.read(): call .from(location)");
    return DeltaTable.at(location, hadoopConf)
        .schema()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "DeltaIO.read(): no Delta table at "
                        + location
                        + " (no _delta_log); write to it first"));
  }

  private <T> PCollection<T> readFiles(PBegin input, DataFileReader<T> reader) {
    String name = tableName != null ? tableName : location;
    return listFiles(input)
        .apply(
            "ReadFiles",
            ParDo.of(new ReadDataFilesFn.ReadFile<>(location, name, hadoopConf, reader)));
  }

  private PCollection<DataFileAction> listFiles(PBegin input) {
    return input
        .apply("Impulse", Impulse.create())
        .apply(
            "ListFiles",
            ParDo.of(
                new ReadDataFilesFn.ListFiles(
                    location, hadoopConf, range, partitionFilter, fileKeys)))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(DataFileAction.class)))
        .apply("DistributeFiles", GroupByKey.create())
        .apply("FilesOfEachKey", Values.create())
        .apply("OneFileEach", Flatten.iterables());
  }

  static void requireArgument(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("DeltaIO.read()." + message);
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("table", tableName).withLabel("Table"))
        .addIfNotNull(DisplayData.item("location", location).withLabel("Table path"))
        .add(DisplayData.item("range", range.toString()).withLabel("Versions read"))
        .add(
            DisplayData.item("partitionFilter", partitionFilter != null)
                .withLabel("Partition filter"));
  }
}

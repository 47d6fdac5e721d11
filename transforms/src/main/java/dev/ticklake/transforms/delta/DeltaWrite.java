package dev.ticklake.transforms.delta;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.transforms.delta.internal.CommitBatchFn;
import dev.ticklake.transforms.delta.internal.CommitSpec;
import dev.ticklake.transforms.delta.internal.MergeIntoPartitionFn;
import dev.ticklake.transforms.delta.internal.TableCommit;
import dev.ticklake.transforms.delta.internal.TableLayout;
import dev.ticklake.transforms.delta.internal.WriteDataFilesFn;
import dev.ticklake.transforms.delta.internal.WriteSteps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@link DeltaIO#write()}: writes a bounded {@code PCollection<GenericRecord>} to a Delta table as
 * one commit (see the "Writing" section of {@link DeltaIO} for the guarantees).
 *
 * <p>Immutable: every {@code withX} returns a new write and rejects an invalid argument at once
 * with an {@link IllegalArgumentException}. Rules that involve several settings (UPSERT needs key
 * columns, a schema must fit the existing table) are checked when the pipeline is built.
 */
public final class DeltaWrite
    extends PTransform<PCollection<GenericRecord>, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;
  private static final Coder<DataFileAction> FILE_CODER =
      SerializableCoder.of(DataFileAction.class);

  private final DeltaTableSpec table;
  private final WriteOptions options;

  private DeltaWrite(DeltaTableSpec table, WriteOptions options) {
    this.table = table;
    this.options = options;
  }

  static DeltaWrite create() {
    return new DeltaWrite(null, WriteOptions.defaults());
  }

  private DeltaWrite with(WriteOptions newOptions) {
    return new DeltaWrite(table, newOptions);
  }

  /** The table to write: location, name, schema, partition and key columns, write mode. */
  public DeltaWrite to(DeltaTableSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("DeltaIO.write().to(spec): spec is null");
    }
    return new DeltaWrite(spec, options);
  }

  /** {@link #to(DeltaTableSpec)} of {@link DeltaTableSpec#at} a location. */
  public DeltaWrite to(String location) {
    return to(DeltaTableSpec.at(location));
  }

  /** The table's spec (null before {@link #to}). */
  public DeltaTableSpec table() {
    return table;
  }

  private DeltaTableSpec spec(String method) {
    if (table == null) {
      throw new IllegalStateException(
          "DeltaIO.write()." + method + ": call .to(spec) or .to(location) first");
    }
    return table;
  }

  /** See {@link DeltaTableSpec#withName}. */
  public DeltaWrite withTableName(String name) {
    return to(spec("withTableName").withName(name));
  }

  /** The rows' Avro schema; default: the schema of the input's {@code AvroCoder}. */
  public DeltaWrite withSchema(Schema schema) {
    return to(spec("withSchema").withSchema(schema));
  }

  /** See {@link DeltaTableSpec#withPartitionColumns}. */
  public DeltaWrite withPartitionColumns(List<String> columns) {
    return to(spec("withPartitionColumns").withPartitionColumns(columns));
  }

  /** See {@link DeltaTableSpec#withKeyColumns}. */
  public DeltaWrite withKeyColumns(List<String> columns) {
    return to(spec("withKeyColumns").withKeyColumns(columns));
  }

  /** See {@link DeltaTableSpec#withWriteMode}. */
  public DeltaWrite withMode(WriteMode mode) {
    return to(spec("withMode").withWriteMode(mode));
  }

  /** Adds {@code SetTransaction(appId, version)} to the commit: the source position reached. */
  public DeltaWrite withTransaction(String appId, long version) {
    Map<String, Long> t = new LinkedHashMap<>(options.transactions());
    t.put(appId, version);
    return withTransactions(t);
  }

  /** All of the batch's source positions (one per source partition, e.g. Kafka partitions). */
  public DeltaWrite withTransactions(Map<String, Long> appIdToVersion) {
    if (appIdToVersion == null) {
      throw new IllegalArgumentException("withTransactions: the map is null");
    }
    appIdToVersion.forEach(
        (appId, version) -> {
          if (appId == null || appId.isBlank() || version == null || version < 0) {
            throw new IllegalArgumentException(
                "withTransactions: app id must be non-blank and version >= 0, got "
                    + appId
                    + " -> "
                    + version);
          }
        });
    return with(options.with(o -> o.transactions = Map.copyOf(appIdToVersion)));
  }

  /**
   * For {@link WriteMode#UPSERT}: when the table already holds a batch row's key, keep the existing
   * row and drop the batch's (an insert-only merge, Delta's {@code WHEN NOT MATCHED THEN INSERT}).
   * Replaying events then changes nothing, and no file is rewritten.
   */
  public DeltaWrite withKeepExistingOnMatch() {
    return with(options.with(o -> o.keepExistingOnMatch = true));
  }

  /**
   * For {@link WriteMode#REPLACE_PARTITIONS}: partitions that the commit replaces in addition to
   * those the batch has rows for, so that a partition whose recomputed content is empty is emptied
   * rather than left stale. Each map holds every partition column with its value as the Delta log
   * stores it (dates ISO-8601, e.g. {@code {symbol=AAPL, trade_date=2026-11-20}}); a map with other
   * columns fails the commit. The view is read once, by the commit step.
   */
  public DeltaWrite withPartitionsToReplace(PCollectionView<List<Map<String, String>>> partitions) {
    if (partitions == null) {
      throw new IllegalArgumentException("withPartitionsToReplace: the view is null");
    }
    return with(options.with(o -> o.partitionsToReplace = partitions));
  }

  /**
   * For {@link WriteMode#UPSERT} and {@link WriteMode#REPLACE_PARTITIONS}: the table version the
   * batch is computed against (-1: the table does not exist), when the caller knows it while
   * building the pipeline (it planned the batch from the log). Default: read when the pipeline
   * starts and passed to the workers as a side input, which costs a DirectRunner dearly. The commit
   * fails with {@link DeltaConflictException} if another writer changed the batch's partitions
   * since this version.
   */
  public DeltaWrite withBaseVersion(long version) {
    if (version < -1) {
      throw new IllegalArgumentException("withBaseVersion: version must be >= -1, got " + version);
    }
    return with(options.with(o -> o.fixedBaseVersion = version));
  }

  /**
   * Writes these data columns without a dictionary: for columns whose values almost never repeat
   * (ids, fine timestamps). Default: none (every column tries a dictionary, except opaque {@code
   * bytes} payloads).
   */
  public DeltaWrite withoutDictionary(String... columns) {
    for (String c : columns) {
      if (c == null || c.isBlank()) {
        throw new IllegalArgumentException("withoutDictionary: a column name is null or blank");
      }
    }
    return with(options.with(o -> o.plainColumns = List.of(columns)));
  }

  /** Allows new nullable columns in the batch to be added to the table's schema. */
  public DeltaWrite withSchemaEvolution() {
    return with(options.with(o -> o.schemaEvolution = true));
  }

  /** Key/values recorded with the commit (Delta {@code userMetadata}), e.g. run id and task. */
  public DeltaWrite withCommitInfo(Map<String, String> info) {
    if (info == null) {
      throw new IllegalArgumentException("withCommitInfo: the map is null");
    }
    return with(options.with(o -> o.commitInfo = Map.copyOf(info)));
  }

  /**
   * Extra Hadoop settings for the file system (e.g. {@code fs.s3a.*}), over the process-wide ones
   * ({@link HadoopSettings}): the workers of a remote cluster have only what travels here.
   */
  public DeltaWrite withHadoopConfiguration(Map<String, String> settings) {
    if (settings == null) {
      throw new IllegalArgumentException("withHadoopConfiguration: the map is null");
    }
    return with(options.with(o -> o.hadoopConf = Map.copyOf(HadoopSettings.effective(settings))));
  }

  /** Target size of a data file before a new one is started (default 128 MiB). */
  public DeltaWrite withTargetFileSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("withTargetFileSize: bytes must be >= 1, got " + bytes);
    }
    return with(options.with(o -> o.targetFileBytes = bytes));
  }

  /** Commit attempts against non-conflicting concurrent commits, and the first backoff. */
  public DeltaWrite withCommitRetries(int maxAttempts, long firstBackoffMillis) {
    if (maxAttempts < 1 || firstBackoffMillis < 0) {
      throw new IllegalArgumentException(
          "withCommitRetries: maxAttempts must be >= 1 and firstBackoffMillis >= 0, got "
              + maxAttempts
              + ", "
              + firstBackoffMillis);
    }
    return with(
        options.with(
            o -> {
              o.maxCommitAttempts = maxAttempts;
              o.commitBackoffMillis = firstBackoffMillis;
            }));
  }

  /**
   * The insert-only merge ({@link #withKeepExistingOnMatch()}) of this write as a building block
   * for a DoFn that has spread the batch's rows by key itself (e.g. de-duplicating in the same
   * step); its files are committed with {@link DeltaIO#commitInOrder}. Needs {@link
   * #withBaseVersion}.
   */
  public InsertOnlyMerge insertOnlyMerge() {
    DeltaTableSpec t = spec("insertOnlyMerge()");
    if (t.writeMode() != WriteMode.UPSERT
        || !options.keepExistingOnMatch()
        || options.fixedBaseVersion() == null) {
      throw new IllegalArgumentException(
          "DeltaIO.write() to "
              + t.name()
              + ": insertOnlyMerge() needs UPSERT mode, withKeepExistingOnMatch() and"
              + " withBaseVersion(v)");
    }
    return new InsertOnlyMerge(
        t.location(),
        t.name(),
        options.hadoopConf(),
        layout(),
        options.targetFileBytes(),
        options.maxOpenFiles(),
        options.fixedBaseVersion());
  }

  /**
   * Only the data files of an {@code APPEND} write, each tagged with this write's table name, to be
   * committed together with other tables' files by {@link DeltaIO#commitInOrder}.
   */
  public PTransform<PCollection<GenericRecord>, PCollection<KV<String, DataFileAction>>>
      dataFiles() {
    DeltaTableSpec t = spec("dataFiles()");
    if (t.writeMode() != WriteMode.APPEND) {
      throw new IllegalArgumentException(
          "DeltaIO.write() to " + t.name() + ": dataFiles() needs APPEND mode");
    }
    DeltaWrite w = this;
    return new PTransform<>() {
      @Override
      public PCollection<KV<String, DataFileAction>> expand(PCollection<GenericRecord> input) {
        return input
            .apply("WriteDataFiles", ParDo.of(w.writeDataFilesFn(w.layout())))
            .setCoder(FILE_CODER)
            .apply("TagWithTable", WithKeys.of(t.name()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), FILE_CODER));
      }

      @Override
      public void populateDisplayData(DisplayData.Builder builder) {
        w.populateDisplayData(builder);
      }
    };
  }

  /** The layout of a write whose schema is known while building (spec or withSchema). */
  TableLayout layout() {
    DeltaTableSpec t = spec("layout");
    if (t.schema() == null) {
      throw new IllegalArgumentException(
          "DeltaIO.write() to " + t.name() + ": give the spec a schema (.withSchema(schema))");
    }
    return layoutOf(t.schema());
  }

  private TableLayout layoutOf(Schema schema) {
    return new TableLayout(
        schema, table.partitionColumns(), table.keyColumns(), options.plainColumns());
  }

  /** This write's commit of one table, for the commit steps. */
  TableCommit tableCommit(TableLayout layout) {
    return new TableCommit(
        new CommitSpec(
            table.location(),
            table.name(),
            options.hadoopConf(),
            table.writeMode(),
            layout,
            options.schemaEvolution(),
            options.transactions(),
            options.commitInfo(),
            options.maxCommitAttempts(),
            options.commitBackoffMillis()));
  }

  WriteOptions options() {
    return options;
  }

  @Override
  public PCollection<CommitOutcome> expand(PCollection<GenericRecord> input) {
    spec("expand");
    if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "DeltaIO.write() takes a bounded batch in the global window");
    }
    Schema schema = resolveSchema(input.getCoder());
    WriteChecks.settings(table, options);
    TableLayout layout = layoutOf(schema);
    WriteChecks.fitsExistingTable(table, options, schema);
    PCollectionView<Long> baseVersion = baseVersionView(input);
    PCollection<DataFileAction> files =
        table.writeMode() == WriteMode.UPSERT
            ? mergeIntoPartitions(input, schema, layout, baseVersion)
            : input.apply("WriteDataFiles", ParDo.of(writeDataFilesFn(layout)));
    return commit(files.setCoder(FILE_CODER), layout, baseVersion);
  }

  /** The base version read when the pipeline starts, when the caller did not fix it. */
  private PCollectionView<Long> baseVersionView(PCollection<GenericRecord> input) {
    if (table.writeMode() == WriteMode.APPEND || options.fixedBaseVersion() != null) {
      return null;
    }
    return input
        .getPipeline()
        .apply("ReadBaseVersion", Impulse.create())
        .apply(
            "LatestVersion",
            ParDo.of(new WriteSteps.LatestVersionFn(table.location(), options.hadoopConf())))
        .setCoder(VarLongCoder.of())
        .apply("AsSingleton", View.asSingleton());
  }

  private WriteDataFilesFn writeDataFilesFn(TableLayout layout) {
    return new WriteDataFilesFn(
        table.location(),
        table.name(),
        options.hadoopConf(),
        layout,
        options.targetFileBytes(),
        options.maxOpenFiles());
  }

  private PCollection<DataFileAction> mergeIntoPartitions(
      PCollection<GenericRecord> input,
      Schema schema,
      TableLayout layout,
      PCollectionView<Long> baseVersion) {
    MergeIntoPartitionFn merge =
        new MergeIntoPartitionFn(
            table.location(),
            table.name(),
            options.hadoopConf(),
            layout,
            options.targetFileBytes(),
            options.fixedBase(),
            baseVersion,
            options.keepExistingOnMatch());
    return input
        .apply(
            "KeyByPartition",
            WithKeys.of(new WriteSteps.PartitionKeyFn(layout))
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
        .apply("GroupByPartition", GroupByKey.create())
        .apply(
            "MergeIntoPartitions",
            ParDo.of(merge).withSideInputs(baseVersion == null ? List.of() : List.of(baseVersion)));
  }

  private PCollection<CommitOutcome> commit(
      PCollection<DataFileAction> files, TableLayout layout, PCollectionView<Long> baseVersion) {
    PCollectionView<List<Map<String, String>>> alsoReplaced = options.partitionsToReplace();
    CommitBatchFn commit =
        new CommitBatchFn(tableCommit(layout), options.fixedBase(), baseVersion, alsoReplaced);
    ParDo.SingleOutput<List<DataFileAction>, CommitOutcome> commitStep = ParDo.of(commit);
    if (baseVersion != null) {
      commitStep = commitStep.withSideInputs(baseVersion);
    }
    if (alsoReplaced != null) {
      commitStep = commitStep.withSideInputs(alsoReplaced);
    }
    return files
        .apply("CollectFiles", Combine.globally(new WriteSteps.CollectFn<DataFileAction>()))
        .setCoder(ListCoder.of(FILE_CODER))
        .apply("Commit", commitStep)
        .setCoder(SerializableCoder.of(CommitOutcome.class));
  }

  private Schema resolveSchema(Coder<GenericRecord> coder) {
    if (table.schema() != null) {
      return table.schema();
    }
    if (coder instanceof AvroCoder<GenericRecord> avro) {
      return avro.getSchema();
    }
    throw new IllegalArgumentException(
        "DeltaIO.write() to "
            + table.location()
            + ": call .withSchema(schema) or give the input an AvroCoder");
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    if (table == null) {
      return;
    }
    builder
        .add(DisplayData.item("table", table.name()).withLabel("Table"))
        .add(DisplayData.item("location", table.location()).withLabel("Table path"))
        .add(DisplayData.item("mode", table.writeMode().name()).withLabel("Write mode"))
        .addIfNotDefault(
            DisplayData.item("partitionColumns", String.join(",", table.partitionColumns()))
                .withLabel("Partition columns"),
            "")
        .addIfNotDefault(
            DisplayData.item("keyColumns", String.join(",", table.keyColumns()))
                .withLabel("Key columns"),
            "")
        .addIfNotDefault(
            DisplayData.item("appIds", String.join(",", options.transactions().keySet()))
                .withLabel("Transaction app ids"),
            "");
  }
}

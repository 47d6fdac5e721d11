package dev.ticklake.transforms.delta;

import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.schemas.catalog.WriteMode;
import io.delta.standalone.types.StructType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A Beam IO for Delta Lake tables: Parquet data files written in parallel by workers, and one Delta
 * commit per batch that carries the batch's data and its source position.
 *
 * <h2>Writing</h2>
 *
 * <pre>{@code
 * rows.apply(DeltaIO.write()
 *     .to("lake/silver/ticks")
 *     .withSchema(schema)                       // or taken from the input's AvroCoder
 *     .withPartitionColumns(List.of("trade_date"))
 *     .withMode(WriteMode.UPSERT).withKeyColumns(List.of("symbol", "ts", "source"))
 *     .withTransaction("silver/ticks:bronze/ticks", 42));
 * }</pre>
 *
 * <p>Guarantees: a batch is bounded and becomes visible atomically in exactly one commit, or not at
 * all. With {@link Write#withTransaction}, the commit also records {@code SetTransaction(appId,
 * version)}; a batch whose versions are already in the log commits nothing and reports {@link
 * CommitOutcome.Status#SKIPPED}, so re-running a batch is idempotent. Files of a failed or killed
 * batch are never referenced by the log (vacuum removes them). Modes: {@code APPEND} (default),
 * {@code REPLACE_PARTITIONS} (the partitions present in the batch are replaced atomically) and
 * {@code UPSERT} (rows replace rows with equal key columns; only files holding such keys are
 * rewritten). Schemas are enforced (a mismatch fails with the table, column, both types and the
 * fix); additive evolution with new nullable columns is opt-in. Concurrent writers are serialised
 * by optimistic concurrency: commits that do not conflict are retried with backoff; a commit that
 * changed the partitions this batch replaces or merged into fails the batch with {@link
 * DeltaConflictException} (retry it as a whole with {@link DeltaBatchRetry}).
 *
 * <h2>Reading</h2>
 *
 * <p>{@link #read()} emits the rows of the latest snapshot, of a version or timestamp, or the rows
 * added by commits in a version range {@code (from, to]} (the incremental read of every hop). The
 * file list is taken when the pipeline runs; files are read in parallel with parquet-avro. {@link
 * DeltaRead#withPartitionFilter} prunes the file list by partition values; {@link
 * #readPartitions()} reads the partitions named by a PCollection (pruning decided inside the
 * pipeline). {@link Write#withPartitionsToReplace} lets a {@code REPLACE_PARTITIONS} batch empty
 * partitions it has no rows for.
 *
 * <p>Defaults: snappy Parquet, target file size 128 MiB, at most 64 open files per worker, 10
 * commit attempts with backoff from 100 ms.
 */
public final class DeltaIO {
  static final String METRICS_NAMESPACE = "deltaio";

  private DeltaIO() {}

  /** A write of a bounded batch of rows; configure with the {@code to/with...} methods. */
  public static Write write() {
    return new Write();
  }

  /** A read of a table's snapshot (latest by default) or of a version range. */
  public static DeltaRead read() {
    return DeltaRead.create();
  }

  /**
   * A read of the snapshot's files in the partitions named by the input elements (partition pruning
   * decided inside the pipeline, e.g. from the symbols a batch touched).
   */
  public static ReadPartitions readPartitions() {
    return ReadPartitions.create();
  }

  /**
   * Commits the data files of several writes of one batch (from {@link Write#dataFiles()} and
   * {@link Write#insertOnlyMerge()}, flattened into one collection) in a single step, one Delta
   * commit per table, in the order of {@code writes}: each commit with its write's transactions,
   * and each after the previous one succeeded. The step runs once every file of the batch is
   * written, so a batch that fails anywhere commits nothing. Writes other than {@code APPEND} need
   * {@link Write#withBaseVersion}. Output: one {@link CommitOutcome} per write, in order.
   */
  public static PTransform<PCollection<KV<String, DataFileAction>>, PCollection<CommitOutcome>>
      commitInOrder(List<Write> writes) {
    List<TableCommit> commits = new java.util.ArrayList<>();
    List<Long> bases = new java.util.ArrayList<>();
    for (Write w : writes) {
      if (w.mode != WriteMode.APPEND && w.fixedBaseVersion == null) {
        throw new IllegalArgumentException(
            "DeltaIO.commitInOrder(): the write to "
                + w.effectiveTableName()
                + " needs withBaseVersion(v)");
      }
      if (w.partitionsToReplace != null) {
        throw new IllegalArgumentException(
            "DeltaIO.commitInOrder(): withPartitionsToReplace() is not supported");
      }
      commits.add(w.tableCommit(w.layout()));
      bases.add(w.fixedBase());
    }
    return new PTransform<>() {
      @Override
      public PCollection<CommitOutcome> expand(PCollection<KV<String, DataFileAction>> files) {
        Coder<KV<String, DataFileAction>> coder =
            KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DataFileAction.class));
        return files
            .apply(
                "CollectFiles",
                Combine.globally(new WriteSteps.CollectFn<KV<String, DataFileAction>>()))
            .setCoder(ListCoder.of(coder))
            .apply("CommitInOrder", ParDo.of(new CommitInOrderFn(commits, bases)))
            .setCoder(SerializableCoder.of(CommitOutcome.class));
      }
    };
  }

  /** Writes a bounded {@code PCollection<GenericRecord>} to a Delta table as one commit. */
  public static final class Write
      extends PTransform<PCollection<GenericRecord>, PCollection<CommitOutcome>> {
    private static final long serialVersionUID = 1L;
    // Not final so that each withX() can set one field on a fresh copy; never mutated after that.
    private String location;
    private String tableName;
    private String schemaJson;
    private List<String> partitionColumns = List.of();
    private List<String> keyColumns = List.of();
    private List<String> plainColumns = List.of();
    private WriteMode mode = WriteMode.APPEND;
    private Map<String, Long> transactions = Map.of();
    private boolean schemaEvolution;
    private boolean keepExistingOnMatch;
    private Map<String, String> commitInfo = Map.of();
    private Map<String, String> hadoopConf = Map.of();
    private long targetFileBytes = 128L << 20;
    private int maxOpenFiles = 64;
    private int maxCommitAttempts = 10;
    private long commitBackoffMillis = 100;
    private PCollectionView<List<Map<String, String>>> partitionsToReplace;
    private Long fixedBaseVersion;

    private Write() {}

    private Write copy() {
      Write w = new Write();
      w.location = location;
      w.tableName = tableName;
      w.schemaJson = schemaJson;
      w.partitionColumns = partitionColumns;
      w.keyColumns = keyColumns;
      w.plainColumns = plainColumns;
      w.mode = mode;
      w.transactions = transactions;
      w.schemaEvolution = schemaEvolution;
      w.keepExistingOnMatch = keepExistingOnMatch;
      w.commitInfo = commitInfo;
      w.hadoopConf = hadoopConf;
      w.targetFileBytes = targetFileBytes;
      w.maxOpenFiles = maxOpenFiles;
      w.maxCommitAttempts = maxCommitAttempts;
      w.commitBackoffMillis = commitBackoffMillis;
      w.partitionsToReplace = partitionsToReplace;
      w.fixedBaseVersion = fixedBaseVersion;
      return w;
    }

    /**
     * The table's location: a local path or any Hadoop URI ({@code file:}, {@code hdfs:}, {@code
     * s3a:}).
     */
    public Write to(String location) {
      Write w = copy();
      w.location = Objects.requireNonNull(location);
      return w;
    }

    /**
     * The name used in messages and metrics (default: the last two path segments, e.g. {@code
     * silver/ticks}).
     */
    public Write withTableName(String name) {
      Write w = copy();
      w.tableName = name;
      return w;
    }

    /** The rows' Avro schema; default: the schema of the input's {@code AvroCoder}. */
    public Write withSchema(Schema schema) {
      Write w = copy();
      w.schemaJson = schema.toString();
      return w;
    }

    /**
     * Everything from the table catalog: location under {@code lakeRoot}, name, schema, partition
     * and key columns, write mode.
     */
    public Write toTable(TableDef table, String lakeRoot) {
      Write w = copy();
      w.location = table.location(lakeRoot);
      w.tableName = table.id();
      w.schemaJson = table.schema().toString();
      w.partitionColumns = table.partitionColumns();
      w.keyColumns = table.keyColumns();
      w.mode = table.writeMode();
      return w;
    }

    /** Partition columns (string, int, long or date; stored in directory names, not in files). */
    public Write withPartitionColumns(List<String> columns) {
      Write w = copy();
      w.partitionColumns = List.copyOf(columns);
      return w;
    }

    /** Key columns: required by {@link WriteMode#UPSERT}. */
    public Write withKeyColumns(List<String> columns) {
      Write w = copy();
      w.keyColumns = List.copyOf(columns);
      return w;
    }

    /** How the batch lands: append (default), replace partitions or upsert by key. */
    public Write withMode(WriteMode mode) {
      Write w = copy();
      w.mode = Objects.requireNonNull(mode);
      return w;
    }

    /**
     * Adds {@code SetTransaction(appId, version)} to the commit: the source position this batch
     * reaches.
     */
    public Write withTransaction(String appId, long version) {
      Map<String, Long> t = new LinkedHashMap<>(transactions);
      t.put(appId, version);
      return withTransactions(t);
    }

    /** All of the batch's source positions (one per source partition, e.g. Kafka partitions). */
    public Write withTransactions(Map<String, Long> appIdToVersion) {
      Write w = copy();
      w.transactions = Map.copyOf(appIdToVersion);
      return w;
    }

    /**
     * For {@link WriteMode#UPSERT}: when the table already holds a batch row's key, keep the
     * existing row and drop the batch's (an insert-only merge, Delta's {@code WHEN NOT MATCHED THEN
     * INSERT}). Replaying events then changes nothing, and no file is rewritten.
     */
    public Write withKeepExistingOnMatch() {
      Write w = copy();
      w.keepExistingOnMatch = true;
      return w;
    }

    /**
     * For {@link WriteMode#REPLACE_PARTITIONS}: partitions that the commit replaces in addition to
     * those the batch has rows for, so that a partition whose recomputed content is empty is
     * emptied rather than left stale. Each map holds every partition column with its value as the
     * Delta log stores it (dates ISO-8601, e.g. {@code {symbol=AAPL, trade_date=2026-11-20}}); a
     * map with other columns fails the commit. The view is read once, by the commit step.
     */
    public Write withPartitionsToReplace(PCollectionView<List<Map<String, String>>> partitions) {
      Write w = copy();
      w.partitionsToReplace = Objects.requireNonNull(partitions);
      return w;
    }

    /**
     * For {@link WriteMode#UPSERT} and {@link WriteMode#REPLACE_PARTITIONS}: the table version the
     * batch is computed against (-1: the table does not exist), when the caller knows it while
     * building the pipeline (it planned the batch from the log). Default: read when the pipeline
     * starts and passed to the workers as a side input, which costs a DirectRunner dearly
     * (side-input readers and held-back bundles are re-evaluated per watermark change). The commit
     * fails with {@link DeltaConflictException} if another writer changed the batch's partitions
     * since this version.
     */
    public Write withBaseVersion(long version) {
      Write w = copy();
      w.fixedBaseVersion = version;
      return w;
    }

    /**
     * The insert-only merge ({@link #withKeepExistingOnMatch()}) of this write as a building block
     * for a DoFn that has spread the batch's rows by key itself (e.g. de-duplicating in the same
     * step); its files are committed with {@link DeltaIO#commitInOrder}. Needs {@link
     * #withBaseVersion}.
     */
    public InsertOnlyMerge insertOnlyMerge() {
      if (mode != WriteMode.UPSERT || !keepExistingOnMatch || fixedBaseVersion == null) {
        throw new IllegalArgumentException(
            "DeltaIO.write() to "
                + effectiveTableName()
                + ": insertOnlyMerge() needs UPSERT mode, withKeepExistingOnMatch() and"
                + " withBaseVersion(v)");
      }
      return new InsertOnlyMerge(
          location,
          effectiveTableName(),
          hadoopConf,
          layout(),
          targetFileBytes,
          maxOpenFiles,
          fixedBaseVersion);
    }

    /**
     * Only the data files of an {@code APPEND} write, each tagged with this write's table name, to
     * be committed together with other tables' files by {@link DeltaIO#commitInOrder}.
     */
    public PTransform<PCollection<GenericRecord>, PCollection<KV<String, DataFileAction>>>
        dataFiles() {
      if (mode != WriteMode.APPEND) {
        throw new IllegalArgumentException(
            "DeltaIO.write() to " + effectiveTableName() + ": dataFiles() needs APPEND mode");
      }
      Write w = this;
      return new PTransform<>() {
        @Override
        public PCollection<KV<String, DataFileAction>> expand(PCollection<GenericRecord> input) {
          TableLayout layout = w.layout();
          String name = w.effectiveTableName();
          return input
              .apply(
                  "WriteDataFiles",
                  ParDo.of(
                      new WriteDataFilesFn(
                          w.location,
                          name,
                          w.hadoopConf,
                          layout,
                          w.targetFileBytes,
                          w.maxOpenFiles)))
              .setCoder(SerializableCoder.of(DataFileAction.class))
              .apply("TagWithTable", WithKeys.of(name))
              .setCoder(
                  KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DataFileAction.class)));
        }
      };
    }

    TableLayout layout() {
      Objects.requireNonNull(schemaJson, "DeltaIO.write(): call .toTable(...) or .withSchema(...)");
      return new TableLayout(
          new Schema.Parser().parse(schemaJson), partitionColumns, keyColumns, plainColumns);
    }

    /**
     * Writes these data columns without a dictionary: for columns whose values almost never repeat
     * (ids, fine timestamps), where Parquet would hash every value into a dictionary only to fall
     * back to plain encoding once the dictionary page is full. Default: none (every column tries a
     * dictionary, except opaque {@code bytes} payloads).
     */
    public Write withoutDictionary(String... columns) {
      Write w = copy();
      w.plainColumns = List.of(columns);
      return w;
    }

    TableCommit tableCommit(TableLayout layout) {
      return new TableCommit(
          location,
          effectiveTableName(),
          hadoopConf,
          mode,
          layout,
          schemaEvolution,
          transactions,
          commitInfo,
          maxCommitAttempts,
          commitBackoffMillis);
    }

    /** Allows new nullable columns in the batch to be added to the table's schema. */
    public Write withSchemaEvolution() {
      Write w = copy();
      w.schemaEvolution = true;
      return w;
    }

    /** Key/values recorded with the commit (Delta {@code userMetadata}), e.g. run id and task. */
    public Write withCommitInfo(Map<String, String> info) {
      Write w = copy();
      w.commitInfo = Map.copyOf(info);
      return w;
    }

    /** Extra Hadoop settings for the file system (e.g. {@code fs.s3a.*}). */
    public Write withHadoopConfiguration(Map<String, String> settings) {
      Write w = copy();
      w.hadoopConf = Map.copyOf(settings);
      return w;
    }

    /** Target size of a data file before a new one is started (default 128 MiB). */
    public Write withTargetFileSize(long bytes) {
      Write w = copy();
      w.targetFileBytes = bytes;
      return w;
    }

    /** Commit attempts against non-conflicting concurrent commits, and the first backoff. */
    public Write withCommitRetries(int maxAttempts, long firstBackoffMillis) {
      Write w = copy();
      w.maxCommitAttempts = maxAttempts;
      w.commitBackoffMillis = firstBackoffMillis;
      return w;
    }

    String effectiveTableName() {
      if (tableName != null) {
        return tableName;
      }
      String[] parts = location.replaceAll("/+$", "").split("/");
      return parts.length >= 2
          ? parts[parts.length - 2] + "/" + parts[parts.length - 1]
          : parts[parts.length - 1];
    }

    @Override
    public PCollection<CommitOutcome> expand(PCollection<GenericRecord> input) {
      Objects.requireNonNull(location, "DeltaIO.write(): call .to(location)");
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        throw new IllegalArgumentException(
            "DeltaIO.write() takes a bounded batch in the global window");
      }
      Schema schema = resolveSchema(input.getCoder());
      String name = effectiveTableName();
      if (keepExistingOnMatch && mode != WriteMode.UPSERT) {
        throw new IllegalArgumentException(
            "DeltaIO.write() to " + name + ": withKeepExistingOnMatch() needs UPSERT mode");
      }
      if (partitionsToReplace != null && mode != WriteMode.REPLACE_PARTITIONS) {
        throw new IllegalArgumentException(
            "DeltaIO.write() to " + name + ": withPartitionsToReplace() needs REPLACE_PARTITIONS");
      }
      if (mode == WriteMode.UPSERT && keyColumns.isEmpty()) {
        throw new IllegalArgumentException(
            "DeltaIO.write() to " + name + ": UPSERT needs withKeyColumns(...)");
      }
      TableLayout layout = new TableLayout(schema, partitionColumns, keyColumns, plainColumns);
      checkAgainstExistingTable(name, schema);

      PCollectionView<Long> baseVersion = null;
      if (mode != WriteMode.APPEND && fixedBaseVersion == null) {
        baseVersion =
            input
                .getPipeline()
                .apply("ReadBaseVersion", Impulse.create())
                .apply(
                    "LatestVersion", ParDo.of(new WriteSteps.LatestVersionFn(location, hadoopConf)))
                .setCoder(VarLongCoder.of())
                .apply("AsSingleton", View.asSingleton());
      }
      PCollection<DataFileAction> files;
      Coder<DataFileAction> fileCoder = SerializableCoder.of(DataFileAction.class);
      if (mode == WriteMode.UPSERT) {
        files =
            input
                .apply(
                    "KeyByPartition",
                    WithKeys.of(new WriteSteps.PartitionKeyFn(layout))
                        .withKeyType(TypeDescriptors.strings()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
                .apply("GroupByPartition", GroupByKey.create())
                .apply(
                    "MergeIntoPartitions",
                    ParDo.of(
                            new MergeIntoPartitionFn(
                                location,
                                name,
                                hadoopConf,
                                layout,
                                targetFileBytes,
                                fixedBase(),
                                baseVersion,
                                keepExistingOnMatch))
                        .withSideInputs(baseVersion == null ? List.of() : List.of(baseVersion)));
      } else {
        files =
            input.apply(
                "WriteDataFiles",
                ParDo.of(
                    new WriteDataFilesFn(
                        location, name, hadoopConf, layout, targetFileBytes, maxOpenFiles)));
      }
      files.setCoder(fileCoder);
      CommitBatchFn commit =
          new CommitBatchFn(tableCommit(layout), fixedBase(), baseVersion, partitionsToReplace);
      ParDo.SingleOutput<List<DataFileAction>, CommitOutcome> commitStep = ParDo.of(commit);
      if (baseVersion != null) {
        commitStep = commitStep.withSideInputs(baseVersion);
      }
      if (partitionsToReplace != null) {
        commitStep = commitStep.withSideInputs(partitionsToReplace);
      }
      return files
          .apply("CollectFiles", Combine.globally(new WriteSteps.CollectFn<DataFileAction>()))
          .setCoder(ListCoder.of(fileCoder))
          .apply("Commit", commitStep)
          .setCoder(SerializableCoder.of(CommitOutcome.class));
    }

    private long fixedBase() {
      return fixedBaseVersion == null ? -1 : fixedBaseVersion;
    }

    private Schema resolveSchema(Coder<GenericRecord> coder) {
      if (schemaJson != null) {
        return new Schema.Parser().parse(schemaJson);
      }
      if (coder instanceof AvroCoder<GenericRecord> avro) {
        return avro.getSchema();
      }
      throw new IllegalArgumentException(
          "DeltaIO.write() to "
              + location
              + ": call .withSchema(schema) or give the input an AvroCoder");
    }

    /** Fails at construction, before any file is written, when the batch cannot fit the table. */
    private void checkAgainstExistingTable(String name, Schema schema) {
      DeltaTable table = DeltaTable.at(location, hadoopConf);
      Optional<StructType> existing = table.schema();
      if (existing.isEmpty()) {
        return;
      }
      DeltaSchemas.reconcile(name, existing.get(), DeltaSchemas.toDelta(schema), schemaEvolution);
      List<String> tablePartitions = table.partitionColumns();
      if (!tablePartitions.equals(partitionColumns)) {
        throw new DeltaSchemaMismatchException(
            String.format(
                "Cannot write to %s: the table is partitioned by %s but the writer by %s; fix the writer",
                name, tablePartitions, partitionColumns));
      }
    }
  }
}

package dev.ticklake.transforms.delta;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The settings of a {@link DeltaWrite} beyond its {@link DeltaTableSpec}: immutable, one wither per
 * setting. Arguments are validated by {@link DeltaWrite}'s public withers, which name the setting.
 */
record WriteOptions(
    List<String> plainColumns,
    Map<String, Long> transactions,
    boolean schemaEvolution,
    boolean keepExistingOnMatch,
    Map<String, String> commitInfo,
    Map<String, String> hadoopConf,
    long targetFileBytes,
    int maxOpenFiles,
    int maxCommitAttempts,
    long commitBackoffMillis,
    PCollectionView<List<Map<String, String>>> partitionsToReplace,
    Long fixedBaseVersion)
    implements Serializable {

  static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;

  static WriteOptions defaults() {
    return new WriteOptions(
        List.of(),
        Map.of(),
        false,
        false,
        Map.of(),
        Map.of(),
        DEFAULT_TARGET_FILE_BYTES,
        64,
        10,
        100,
        null,
        null);
  }

  WriteOptions withPlainColumns(List<String> v) {
    return new WriteOptions(
        List.copyOf(v),
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withTransactions(Map<String, Long> v) {
    return new WriteOptions(
        plainColumns,
        v,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withSchemaEvolution() {
    return new WriteOptions(
        plainColumns,
        transactions,
        true,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withKeepExistingOnMatch() {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        true,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withCommitInfo(Map<String, String> v) {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        Map.copyOf(v),
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withHadoopConf(Map<String, String> v) {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        Map.copyOf(v),
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withTargetFileBytes(long v) {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        v,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withCommitRetries(int attempts, long backoffMillis) {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        attempts,
        backoffMillis,
        partitionsToReplace,
        fixedBaseVersion);
  }

  WriteOptions withPartitionsToReplace(PCollectionView<List<Map<String, String>>> v) {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        v,
        fixedBaseVersion);
  }

  WriteOptions withFixedBaseVersion(long v) {
    return new WriteOptions(
        plainColumns,
        transactions,
        schemaEvolution,
        keepExistingOnMatch,
        commitInfo,
        hadoopConf,
        targetFileBytes,
        maxOpenFiles,
        maxCommitAttempts,
        commitBackoffMillis,
        partitionsToReplace,
        v);
  }

  /** The base version known when the pipeline is built, or -1 (appends; or read at run time). */
  long fixedBase() {
    return fixedBaseVersion == null ? -1 : fixedBaseVersion;
  }
}

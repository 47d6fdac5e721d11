package dev.ticklake.transforms.delta;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The settings of a {@link DeltaWrite} beyond its {@link DeltaTableSpec}: immutable; {@link #with}
 * returns a copy with some settings changed. Arguments are validated by {@link DeltaWrite}'s public
 * withers, which name the setting.
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
    Builder b = new Builder();
    b.plainColumns = List.of();
    b.transactions = Map.of();
    b.commitInfo = Map.of();
    // Copied now, so that they travel with the transform to workers in other JVMs.
    b.hadoopConf = HadoopSettings.processWide();
    b.targetFileBytes = DEFAULT_TARGET_FILE_BYTES;
    b.maxOpenFiles = 64;
    b.maxCommitAttempts = 10;
    b.commitBackoffMillis = 100;
    return b.build();
  }

  /** A copy with the settings {@code change} sets on a builder holding these. */
  WriteOptions with(Consumer<Builder> change) {
    Builder b = new Builder();
    b.plainColumns = plainColumns;
    b.transactions = transactions;
    b.schemaEvolution = schemaEvolution;
    b.keepExistingOnMatch = keepExistingOnMatch;
    b.commitInfo = commitInfo;
    b.hadoopConf = hadoopConf;
    b.targetFileBytes = targetFileBytes;
    b.maxOpenFiles = maxOpenFiles;
    b.maxCommitAttempts = maxCommitAttempts;
    b.commitBackoffMillis = commitBackoffMillis;
    b.partitionsToReplace = partitionsToReplace;
    b.fixedBaseVersion = fixedBaseVersion;
    change.accept(b);
    return b.build();
  }

  /** The base version known when the pipeline is built, or -1 (appends; or read at run time). */
  long fixedBase() {
    return fixedBaseVersion == null ? -1 : fixedBaseVersion;
  }

  /** The mutable form of the settings, alive only inside {@link #with}. */
  static final class Builder {
    List<String> plainColumns;
    Map<String, Long> transactions;
    boolean schemaEvolution;
    boolean keepExistingOnMatch;
    Map<String, String> commitInfo;
    Map<String, String> hadoopConf;
    long targetFileBytes;
    int maxOpenFiles;
    int maxCommitAttempts;
    long commitBackoffMillis;
    PCollectionView<List<Map<String, String>>> partitionsToReplace;
    Long fixedBaseVersion;

    private WriteOptions build() {
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
          fixedBaseVersion);
    }
  }
}

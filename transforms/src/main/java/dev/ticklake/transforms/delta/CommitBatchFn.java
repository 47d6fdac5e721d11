package dev.ticklake.transforms.delta;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The single commit of a batch: started by one impulse element, reads every file the workers wrote
 * from the {@code files} side input (ready once all are written; empty for none) and commits them
 * once.
 */
final class CommitBatchFn extends DoFn<byte[], CommitOutcome> {
  private static final long serialVersionUID = 1L;

  private final PCollectionView<List<DataFileAction>> files;
  private final TableCommit commit;
  private final long fixedBaseVersion;
  private final PCollectionView<Long> baseVersion;
  private final PCollectionView<List<Map<String, String>>> partitionsToReplace;

  /**
   * The base version comes from {@code baseVersion} when it is not null, else it is {@code
   * fixedBaseVersion} (known when the pipeline was built; -1 for appends).
   */
  CommitBatchFn(
      PCollectionView<List<DataFileAction>> files,
      TableCommit commit,
      long fixedBaseVersion,
      PCollectionView<Long> baseVersion,
      PCollectionView<List<Map<String, String>>> partitionsToReplace) {
    this.files = files;
    this.commit = commit;
    this.fixedBaseVersion = fixedBaseVersion;
    this.baseVersion = baseVersion;
    this.partitionsToReplace = partitionsToReplace;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    long base = baseVersion == null ? fixedBaseVersion : c.sideInput(baseVersion);
    List<Map<String, String>> alsoReplaced =
        partitionsToReplace == null ? List.of() : c.sideInput(partitionsToReplace);
    c.output(commit.commit(c.sideInput(files), base, alsoReplaced));
  }
}

package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DataFileAction;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** The single commit of a batch: receives every file the workers wrote, commits them once. */
public final class CommitBatchFn extends DoFn<List<DataFileAction>, CommitOutcome> {
  private static final long serialVersionUID = 1L;

  private final TableCommit commit;
  private final long fixedBaseVersion;
  private final PCollectionView<Long> baseVersion;
  private final PCollectionView<List<Map<String, String>>> partitionsToReplace;

  /**
   * The base version comes from {@code baseVersion} when it is not null, else it is {@code
   * fixedBaseVersion} (known when the pipeline was built; -1 for appends).
   */
  public CommitBatchFn(
      TableCommit commit,
      long fixedBaseVersion,
      PCollectionView<Long> baseVersion,
      PCollectionView<List<Map<String, String>>> partitionsToReplace) {
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
    c.output(commit.commit(c.element(), base, alsoReplaced));
  }
}

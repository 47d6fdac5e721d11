package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DataFileAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Commits the files of several tables' writes of one batch, one Delta commit per table, in the
 * writes' order; the element is every file of the batch tagged with its table's name. A failed
 * commit stops the rest, so a later table is never ahead of an earlier one.
 */
public final class CommitInOrderFn extends DoFn<List<KV<String, DataFileAction>>, CommitOutcome> {
  private static final long serialVersionUID = 1L;

  private final List<TableCommit> commits;
  private final List<Long> baseVersions;

  public CommitInOrderFn(List<TableCommit> commits, List<Long> baseVersions) {
    this.commits = commits;
    this.baseVersions = baseVersions;
  }

  @ProcessElement
  public void process(
      @Element List<KV<String, DataFileAction>> files, OutputReceiver<CommitOutcome> out)
      throws IOException {
    Map<String, List<DataFileAction>> byTable = new HashMap<>();
    for (KV<String, DataFileAction> f : files) {
      byTable.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue());
    }
    for (String table : byTable.keySet()) {
      if (commits.stream().noneMatch(c -> c.tableName().equals(table))) {
        throw new IllegalStateException(
            "DeltaIO.commitInOrder(): files for table "
                + table
                + " that none of the writes names; tag files with DeltaWrite's table name");
      }
    }
    for (int i = 0; i < commits.size(); i++) {
      TableCommit commit = commits.get(i);
      out.output(
          commit.commit(
              byTable.getOrDefault(commit.tableName(), List.of()), baseVersions.get(i), List.of()));
    }
  }
}

package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaWrite;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table's commit of a batch, as configured by a {@link DeltaWrite}, with the {@code deltaio}
 * metrics that {@link CommitReport} reads ({@code <table>.committed|skipped|empty|version|
 * rowsCommitted|filesCommitted}). Serializable, for the commit steps.
 */
public final class TableCommit implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TableCommit.class);

  private final CommitSpec spec;
  private final Counter committed;
  private final Counter skipped;
  private final Counter empty;
  private final Distribution version;
  private final Counter rowsCommitted;
  private final Counter filesCommitted;

  public TableCommit(CommitSpec spec) {
    this.spec = spec;
    String tableName = spec.tableName();
    this.committed = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".committed");
    this.skipped = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".skipped");
    this.empty = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".empty");
    this.version = Metrics.distribution(DeltaIO.METRICS_NAMESPACE, tableName + ".version");
    this.rowsCommitted = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".rowsCommitted");
    this.filesCommitted = Metrics.counter(DeltaIO.METRICS_NAMESPACE, tableName + ".filesCommitted");
  }

  public String tableName() {
    return spec.tableName();
  }

  /** Commits {@code files}, computed from the table as of {@code base} (-1: none), once. */
  public CommitOutcome commit(
      List<DataFileAction> files, long base, List<Map<String, String>> alsoReplaced)
      throws IOException {
    DeltaCommitter committer = new DeltaCommitter(spec);
    CommitOutcome outcome = committer.commit(files, base, alsoReplaced);
    switch (outcome.status()) {
      case COMMITTED -> committed.inc();
      case SKIPPED -> skipped.inc();
      case EMPTY -> empty.inc();
    }
    version.update(outcome.tableVersion());
    rowsCommitted.inc(outcome.rowsAdded());
    filesCommitted.inc(outcome.filesAdded());
    LOG.info("{}", outcome);
    return outcome;
  }
}

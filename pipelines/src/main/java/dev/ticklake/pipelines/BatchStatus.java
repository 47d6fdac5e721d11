package dev.ticklake.pipelines;

import dev.ticklake.transforms.delta.CommitReport;

/** What one micro-batch of a pipeline did. */
public enum BatchStatus {
  /** Data and source position committed. */
  COMMITTED,
  /** The batch's source position was already committed by an earlier run: nothing written. */
  SKIPPED,
  /** The source had nothing new: no pipeline ran, nothing committed. */
  NOTHING_NEW;

  static BatchStatus of(CommitReport report) {
    return switch (report.status()) {
      case COMMITTED -> COMMITTED;
      case SKIPPED -> SKIPPED;
      case EMPTY -> NOTHING_NEW;
    };
  }
}

package dev.ticklake.transforms.delta;

import java.io.Serializable;

/**
 * What a batch's commit to one table did. A batch whose {@code SetTransaction} versions were
 * already in the log is {@link Status#SKIPPED}: nothing was written, and {@link #tableVersion()} is
 * the version it found.
 *
 * @param table the table's name (its {@link DeltaTableSpec#name()})
 * @param status committed, skipped as already committed, or nothing to commit
 * @param tableVersion the version committed, or for SKIPPED/EMPTY the latest version seen (-1: no
 *     table)
 * @param filesAdded data files the commit added
 * @param filesRemoved data files the commit removed (replaced partitions, rewritten files)
 * @param rowsAdded rows in the added files (for upserts this includes rewritten rows)
 * @param attempts commit attempts made (more than 1 after concurrent commits by other writers)
 */
public record CommitOutcome(
    String table,
    Status status,
    long tableVersion,
    long filesAdded,
    long filesRemoved,
    long rowsAdded,
    int attempts)
    implements Serializable {

  /** Committed, skipped as already committed, or nothing to commit. */
  public enum Status {
    COMMITTED,
    SKIPPED,
    EMPTY
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s at version %d (+%d files, -%d files, %d rows, %d attempt(s))",
        table, status, tableVersion, filesAdded, filesRemoved, rowsAdded, attempts);
  }
}

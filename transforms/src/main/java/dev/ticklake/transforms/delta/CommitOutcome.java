package dev.ticklake.transforms.delta;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a batch's commit did. A batch whose {@code SetTransaction} versions were already in the log
 * is {@link Status#SKIPPED}: nothing was written, and {@link #tableVersion()} is the version it
 * found.
 */
public final class CommitOutcome implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Committed, skipped as already committed, or nothing to commit. */
  public enum Status {
    COMMITTED,
    SKIPPED,
    EMPTY
  }

  private final String table;
  private final Status status;
  private final long tableVersion;
  private final long filesAdded;
  private final long filesRemoved;
  private final long rowsAdded;
  private final int attempts;

  CommitOutcome(
      String table,
      Status status,
      long tableVersion,
      long filesAdded,
      long filesRemoved,
      long rowsAdded,
      int attempts) {
    this.table = table;
    this.status = status;
    this.tableVersion = tableVersion;
    this.filesAdded = filesAdded;
    this.filesRemoved = filesRemoved;
    this.rowsAdded = rowsAdded;
    this.attempts = attempts;
  }

  public String table() {
    return table;
  }

  public Status status() {
    return status;
  }

  /** The version committed, or for SKIPPED/EMPTY the latest version seen (-1: no table). */
  public long tableVersion() {
    return tableVersion;
  }

  public long filesAdded() {
    return filesAdded;
  }

  public long filesRemoved() {
    return filesRemoved;
  }

  /** Rows in the added files (for upserts this includes rewritten rows). */
  public long rowsAdded() {
    return rowsAdded;
  }

  /** Commit attempts made (more than 1 after concurrent commits by other writers). */
  public int attempts() {
    return attempts;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CommitOutcome)) {
      return false;
    }
    CommitOutcome that = (CommitOutcome) o;
    return status == that.status
        && tableVersion == that.tableVersion
        && filesAdded == that.filesAdded
        && filesRemoved == that.filesRemoved
        && rowsAdded == that.rowsAdded
        && attempts == that.attempts
        && table.equals(that.table);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, status, tableVersion);
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s at version %d (+%d files, -%d files, %d rows, %d attempt(s))",
        table, status, tableVersion, filesAdded, filesRemoved, rowsAdded, attempts);
  }
}

package dev.ticklake.schemas.catalog;

import java.util.Locale;

/** What happens to a row that fails an {@link Expectation}. */
public enum ExpectationAction {
  /** Keep the row; count the failure in {@code silver/dq_metrics}. */
  WARN,
  /** Remove the row from the output, send it to {@code silver/quarantine}, and count it. */
  DROP,
  /** Fail the whole batch without committing (nothing is written; the task can be retried). */
  FAIL;

  /** The lower-case spelling stored in the {@code action} column of {@code silver/dq_metrics}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

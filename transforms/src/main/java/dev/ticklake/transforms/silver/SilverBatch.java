package dev.ticklake.transforms.silver;

import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one Silver batch covers: the Bronze versions {@code (fromExclusive, toInclusive]} (with
 * {@code fromExclusive = -1} the snapshot at {@code toInclusive}), when it started (the value of
 * {@code now()} in expectation rules, and the time stamped on quarantine and metric rows), and the
 * orchestrator run it belongs to. Immutable.
 *
 * <p>Everything a batch writes is a function of this value and the Bronze rows in its range, so a
 * re-run of the same batch (same range and start) writes the same rows.
 *
 * @param fromExclusive last Bronze version already refined (-1: none)
 * @param toInclusive the Bronze version this batch refines up to; recorded as the {@code
 *     SetTransaction} version of every table it writes
 * @param startedAt the batch's start, truncated to microseconds
 * @param runId the orchestrator run id, stored in {@code silver/dq_metrics.run_id}
 */
public record SilverBatch(long fromExclusive, long toInclusive, Instant startedAt, String runId)
    implements Serializable {

  /** Checks the range and truncates {@code startedAt} to the tables' microsecond precision. */
  public SilverBatch {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(runId, "runId");
    if (fromExclusive < -1 || toInclusive <= fromExclusive) {
      throw new IllegalArgumentException(
          "a Silver batch needs Bronze versions -1 <= fromExclusive < toInclusive, got ("
              + fromExclusive
              + ", "
              + toInclusive
              + "]");
    }
    startedAt = startedAt.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The batch id stored in {@code silver/quarantine} and {@code silver/dq_metrics}: the Bronze
   * range, e.g. {@code bronze/ticks(3,5]}; the same for every re-run of the batch.
   */
  public String batchId() {
    return "bronze/ticks(" + fromExclusive + "," + toInclusive + "]";
  }

  long startedAtMicros() {
    return startedAt.getEpochSecond() * 1_000_000L + startedAt.getNano() / 1_000;
  }

  int startedAtDate() {
    return (int) Math.floorDiv(startedAtMicros(), 86_400_000_000L);
  }
}

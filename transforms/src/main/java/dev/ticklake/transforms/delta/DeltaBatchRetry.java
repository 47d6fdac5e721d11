package dev.ticklake.transforms.delta;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-runs a whole batch (typically {@code pipeline.run().waitUntilFinish()}) when it lost a commit
 * conflict to another writer. Safe because a batch re-reads the same source range and its {@code
 * SetTransaction} makes a rerun of an already committed batch a no-op. Other failures are rethrown
 * at once.
 */
public final class DeltaBatchRetry {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaBatchRetry.class);

  private DeltaBatchRetry() {}

  /** Runs {@code batch}, retrying up to {@code maxAttempts} times in all on a conflict. */
  public static <T> T run(Callable<T> batch, int maxAttempts, Duration firstBackoff)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return batch.call();
      } catch (Exception e) {
        if (!DeltaConflictException.isCausedBy(e) || attempt >= maxAttempts) {
          throw e;
        }
        long base = firstBackoff.toMillis() << Math.min(attempt - 1, 10);
        long sleep = Math.min(base, 10_000L) + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        LOG.info(
            "Batch lost a commit conflict (attempt {} of {}); re-running in {} ms",
            attempt,
            maxAttempts,
            sleep);
        Thread.sleep(sleep);
      }
    }
  }
}

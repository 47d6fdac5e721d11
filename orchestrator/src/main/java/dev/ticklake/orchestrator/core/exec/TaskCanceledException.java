package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.retry.NonRetryableException;

/**
 * A try stopped because a user canceled it (its thread interrupted, or its child JVM killed).
 * Non-retryable: a canceled try is never tried again unless its task instance is cleared.
 */
public class TaskCanceledException extends NonRetryableException {
  public TaskCanceledException(String message) {
    super(message);
  }
}

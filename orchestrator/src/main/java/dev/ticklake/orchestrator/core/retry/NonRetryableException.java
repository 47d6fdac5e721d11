package dev.ticklake.orchestrator.core.retry;

/**
 * Marks a failure that a retry cannot fix (bad configuration, a failed data-quality expectation
 * with action {@code fail}, a missing pipeline). A task failing with this exception anywhere in its
 * cause chain goes to {@code failed} at once, whatever retries are left.
 *
 * <p>Code outside the orchestrator (pipelines, transforms), which cannot depend on this type,
 * signals the same with an {@link IllegalArgumentException}; see {@link Retryability}.
 */
public class NonRetryableException extends RuntimeException {

  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}

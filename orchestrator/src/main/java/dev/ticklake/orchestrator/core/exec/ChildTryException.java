package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.retry.NonRetryableException;

/**
 * A try that failed in a child JVM, rebuilt in the parent from the child's result: the message is
 * {@code <original class>: <original message>} (the stack trace is in the try's log). The child
 * decides retryability with {@link dev.ticklake.orchestrator.core.retry.Retryability}; a
 * non-retryable failure comes back as {@link NonRetryable}, so the retry policy treats it exactly
 * as in-process.
 */
public class ChildTryException extends RuntimeException {

  public ChildTryException(String message) {
    super(message);
  }

  /** The same failure, non-retryable in the child. */
  public static final class NonRetryable extends NonRetryableException {
    public NonRetryable(String message) {
      super(message);
    }
  }

  static RuntimeException of(String errorClass, String message, boolean nonRetryable) {
    String text = message == null ? errorClass : errorClass + ": " + message;
    return nonRetryable ? new NonRetryable(text) : new ChildTryException(text);
  }
}

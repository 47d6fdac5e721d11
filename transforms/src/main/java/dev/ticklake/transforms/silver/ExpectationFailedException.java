package dev.ticklake.transforms.silver;

/**
 * A row failed an expectation whose action is {@code fail}: the batch is aborted and nothing is
 * committed to any table (every table keeps its Delta version).
 *
 * <p><b>Not retryable</b>: re-running the same batch reads the same rows and fails the same way.
 * The message names the expectation, why the row failed, and the record (Bronze partition, offset,
 * payload), and says how to proceed. Orchestrators should fail the task without retries.
 */
public final class ExpectationFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String expectation;

  public ExpectationFailedException(String expectation, String message) {
    super(message);
    this.expectation = expectation;
  }

  /** The name of the failed expectation. */
  public String expectation() {
    return expectation;
  }

  /** Always false: the same input fails the same way. */
  public boolean retryable() {
    return false;
  }
}

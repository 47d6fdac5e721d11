package dev.ticklake.transforms.delta;

/**
 * A batch's schema does not fit the table it is written to. The message names the table, the
 * column, both types and the fix.
 */
public class DeltaSchemaMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DeltaSchemaMismatchException(String message) {
    super(message);
  }
}

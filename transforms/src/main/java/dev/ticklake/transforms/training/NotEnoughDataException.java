package dev.ticklake.transforms.training;

/**
 * Too few rows or time steps to train or evaluate honestly; the training step reports it as a skip
 * with this message, never as a failure, and writes no model.
 */
public final class NotEnoughDataException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public NotEnoughDataException(String message) {
    super(message);
  }
}

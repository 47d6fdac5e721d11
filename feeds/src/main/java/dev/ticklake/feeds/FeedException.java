package dev.ticklake.feeds;

/**
 * A feed cannot run, for a reason the user can fix: the message says what failed, why, and what to
 * do (e.g. {@code ALPHAVANTAGE_API_KEY is not set; ...}). Callers show the message without a stack
 * trace.
 */
public class FeedException extends RuntimeException {
  public FeedException(String message) {
    super(message);
  }

  public FeedException(String message, Throwable cause) {
    super(message, cause);
  }
}

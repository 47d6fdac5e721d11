package dev.ticklake.orchestrator.serving;

/**
 * A request the read layer or its APIs reject: the message says what was wrong and what is
 * accepted; {@link #status} is the HTTP status to answer with (400, or 413 for a body too large).
 */
public final class ServingRequestException extends RuntimeException {
  private final int status;

  public ServingRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** 400 with {@code message}. */
  public static ServingRequestException badRequest(String message) {
    return new ServingRequestException(400, message);
  }

  public int status() {
    return status;
  }
}

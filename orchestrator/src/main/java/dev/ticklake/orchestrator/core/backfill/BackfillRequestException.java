package dev.ticklake.orchestrator.core.backfill;

/**
 * A backfill request that cannot be honoured, with the HTTP status that says why: 400 (bad input),
 * 404 (unknown DAG or backfill) or 409 (conflicts with the current state). Nothing was changed.
 */
public final class BackfillRequestException extends RuntimeException {

  private final int status;

  public BackfillRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  public static BackfillRequestException badRequest(String message) {
    return new BackfillRequestException(400, message);
  }

  public static BackfillRequestException notFound(String message) {
    return new BackfillRequestException(404, message);
  }

  public static BackfillRequestException conflict(String message) {
    return new BackfillRequestException(409, message);
  }

  public int status() {
    return status;
  }
}

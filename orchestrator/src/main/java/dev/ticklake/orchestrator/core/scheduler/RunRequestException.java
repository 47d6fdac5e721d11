package dev.ticklake.orchestrator.core.scheduler;

/**
 * A cancel or trigger that cannot be done, with the HTTP status that says why: 404 (unknown run or
 * task) or 409 (the run or task is finished already, or the DAG's queue of manual runs is full).
 * Nothing was changed.
 */
public final class RunRequestException extends RuntimeException {

  private final int status;

  public RunRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  static RunRequestException notFound(String message) {
    return new RunRequestException(404, message);
  }

  static RunRequestException conflict(String message) {
    return new RunRequestException(409, message);
  }

  public int status() {
    return status;
  }
}

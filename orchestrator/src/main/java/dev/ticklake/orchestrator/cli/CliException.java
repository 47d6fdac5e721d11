package dev.ticklake.orchestrator.cli;

/** A user-facing CLI failure: printed as one line on stderr, exit code 1, no stack trace. */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }
}

package dev.ticklake.orchestrator.core.exec;

/**
 * How a try ended: {@code outcome} on success, {@code error} on failure (exactly one is non-null);
 * {@code log} is the captured log of the try.
 */
public record TaskResult(PipelineOutcome outcome, Throwable error, String log) {
  public boolean succeeded() {
    return error == null;
  }
}

package dev.ticklake.orchestrator.core.clear;

/** A clear that cannot be done as asked; nothing was changed. */
public final class ClearException extends RuntimeException {

  /** Why: the HTTP API answers 404 for {@link #NOT_FOUND} and 409 for {@link #CONFLICT}. */
  public enum Kind {
    /** An unknown DAG, run or task. */
    NOT_FOUND,
    /** The run or a task is not in a state that can be cleared (or changed meanwhile). */
    CONFLICT
  }

  private final Kind kind;

  public ClearException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

package dev.ticklake.orchestrator.core.state;

/** Why a task instance changes state: normal progress, or an explicit clear (re-run). */
public enum TransitionKind {
  /** Scheduling, execution, retries, trigger-rule decisions, timeouts, zombie detection. */
  NORMAL,
  /** A user or a backfill asks to run a finished task again: terminal state to {@code none}. */
  CLEAR
}

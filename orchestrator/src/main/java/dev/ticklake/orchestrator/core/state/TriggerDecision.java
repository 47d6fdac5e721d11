package dev.ticklake.orchestrator.core.state;

/** What a task's trigger rule says, given the states of its upstream task instances. */
public enum TriggerDecision {
  /** The task may run now: move it to {@code scheduled}. */
  RUN,
  /** Not decidable yet: some upstream task is unfinished. */
  WAIT,
  /** The task will not run: move it to {@code skipped}. */
  SKIP,
  /** The task will not run because upstream failed: move it to {@code upstream_failed}. */
  UPSTREAM_FAILED
}

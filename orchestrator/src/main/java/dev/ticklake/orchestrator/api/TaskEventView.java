package dev.ticklake.orchestrator.api;

import static dev.ticklake.orchestrator.api.Timestamps.text;

import dev.ticklake.orchestrator.db.TaskEvent;

/** One state change of a task instance, as {@code GET .../events} shows it: who, when and why. */
public record TaskEventView(
    long id,
    int tryNumber,
    String fromState,
    String toState,
    String at,
    String actor,
    String reason) {

  public static TaskEventView of(TaskEvent e) {
    return new TaskEventView(
        e.id(),
        e.tryNumber(),
        e.fromState() == null ? null : e.fromState().dbName(),
        e.toState().dbName(),
        text(e.at()),
        e.actor(),
        e.reason());
  }
}

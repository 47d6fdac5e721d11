package dev.ticklake.orchestrator.core.clear;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to clear in one DAG run (Airflow's "clear"): the given tasks or all of them, optionally only
 * the failed ones ({@code failed}, {@code upstream_failed}), optionally with everything downstream.
 *
 * @param taskIds the tasks to clear; empty means every task of the run
 * @param reason recorded in the event log, next to the actor
 */
public record ClearRequest(
    Optional<List<String>> taskIds, boolean onlyFailed, boolean includeDownstream, String reason) {

  public ClearRequest {
    Objects.requireNonNull(taskIds, "taskIds");
    Objects.requireNonNull(reason, "reason");
    taskIds = taskIds.map(List::copyOf);
  }

  /** The whole run. */
  public static ClearRequest wholeRun(String reason) {
    return new ClearRequest(Optional.empty(), false, false, reason);
  }
}

package dev.ticklake.orchestrator.api;

import java.util.List;

/** The answer of a clear: the run after it and the ids of the task instances it cleared. */
public record ClearResult(DagRunView run, List<String> cleared) {}

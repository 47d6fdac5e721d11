package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.db.DagRun;
import java.util.List;

/**
 * What a cancel of a run did: the run after it (state {@code canceled}) and the task instances it
 * moved to {@code canceled} (the unfinished ones), by task id.
 */
public record CanceledRun(DagRun run, List<String> canceledTaskIds) {
  public CanceledRun {
    canceledTaskIds = List.copyOf(canceledTaskIds);
  }
}

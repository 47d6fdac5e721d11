package dev.ticklake.orchestrator.api;

import dev.ticklake.orchestrator.core.scheduler.CanceledRun;
import java.util.List;

/**
 * The answer of a run's cancel: the run after it (state {@code canceled}) and the task instances it
 * canceled (the unfinished ones), by task id.
 */
public record CancelResult(DagRunView run, List<String> canceled) {
  public static CancelResult of(CanceledRun c) {
    return new CancelResult(DagRunView.of(c.run()), c.canceledTaskIds());
  }
}

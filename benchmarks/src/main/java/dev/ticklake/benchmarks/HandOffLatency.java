package dev.ticklake.benchmarks;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.db.TaskInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scheduler overhead from the recorded timestamps of one finished run: for every task with upstream
 * tasks, the time from the end of its last upstream task ({@code ended_at}, the success that made
 * it runnable) to its own start ({@code started_at}, the queued-to-running change). Tasks without
 * upstream, or not started, are left out.
 */
final class HandOffLatency {
  private HandOffLatency() {}

  /** One value in milliseconds per downstream task of the run. */
  static List<Double> millis(DagDefinition dag, List<TaskInstance> instances) {
    Map<String, TaskInstance> byTask = new HashMap<>();
    for (TaskInstance ti : instances) {
      byTask.put(ti.taskId(), ti);
    }
    List<Double> out = new ArrayList<>();
    for (TaskDefinition task : dag.tasks()) {
      TaskInstance ti = byTask.get(task.taskId());
      if (task.upstream().isEmpty() || ti == null || ti.startedAt() == null) {
        continue;
      }
      Instant lastUpstreamEnd = null;
      for (String u : task.upstream()) {
        TaskInstance up = byTask.get(u);
        if (up == null || up.endedAt() == null) {
          lastUpstreamEnd = null;
          break;
        }
        if (lastUpstreamEnd == null || up.endedAt().isAfter(lastUpstreamEnd)) {
          lastUpstreamEnd = up.endedAt();
        }
      }
      if (lastUpstreamEnd != null) {
        out.add(Duration.between(lastUpstreamEnd, ti.startedAt()).toNanos() / 1e6);
      }
    }
    return out;
  }
}

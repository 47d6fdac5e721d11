package dev.ticklake.orchestrator.api;

import dev.ticklake.orchestrator.db.LineageDao;

/** One recorded try of a task, as the lineage answers show it. */
public record TryView(
    String dagId,
    String runId,
    String taskId,
    int tryNumber,
    JobRef job,
    String olRunId,
    String outcome,
    String recordedAt) {

  /** An OpenLineage job name: {@code <dag_id>.<task_id>} in the service's job namespace. */
  public record JobRef(String namespace, String name) {}

  public static TryView of(LineageDao.TryRecord r, String jobNamespace) {
    return new TryView(
        r.key().dagId(),
        r.key().runId(),
        r.key().taskId(),
        r.key().tryNumber(),
        new JobRef(jobNamespace, r.key().jobName()),
        r.olRunId(),
        r.outcome(),
        r.recordedAt().toString());
  }
}

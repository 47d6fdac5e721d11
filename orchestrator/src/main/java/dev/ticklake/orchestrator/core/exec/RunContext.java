package dev.ticklake.orchestrator.core.exec;

import java.time.Instant;
import java.util.Objects;

/**
 * Where and for which run a pipeline try runs.
 *
 * @param bootstrapServers Kafka bootstrap servers for the pipelines that read Kafka
 * @param runner the Beam runner the TickLake pipelines use
 */
public record RunContext(
    String lakeRoot,
    String bootstrapServers,
    String runId,
    String taskId,
    int tryNumber,
    Instant logicalTime,
    RunnerSettings runner) {

  public RunContext {
    Objects.requireNonNull(lakeRoot, "lakeRoot");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(logicalTime, "logicalTime");
    Objects.requireNonNull(runner, "runner");
  }
}

package dev.ticklake.orchestrator.core.exec;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One try to execute: which pipeline with which options, in which context, for how long. */
public record TaskRun(
    String pipeline, Map<String, String> options, RunContext context, Optional<Duration> timeout) {
  public TaskRun {
    Objects.requireNonNull(pipeline, "pipeline");
    options = Map.copyOf(options);
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The first line of every try's log, whichever executor runs it: {@code start try 2 of run/task:
   * pipeline p, logical time t, options {...}, runner direct}.
   */
  public String startLine() {
    return "start try "
        + context.tryNumber()
        + " of "
        + context.runId()
        + "/"
        + context.taskId()
        + ": pipeline "
        + pipeline
        + ", logical time "
        + context.logicalTime()
        + ", options "
        + options
        + ", runner "
        + context.runner().runner();
  }

  /** {@code run_id/task_id#try}. */
  public String key() {
    return context.runId() + "/" + context.taskId() + "#" + context.tryNumber();
  }
}

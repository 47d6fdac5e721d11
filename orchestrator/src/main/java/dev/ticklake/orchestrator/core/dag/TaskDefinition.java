package dev.ticklake.orchestrator.core.dag;

import dev.ticklake.orchestrator.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One task of a DAG: which pipeline it runs with which options, after which tasks, how it is
 * retried and where it runs. Immutable; {@code options} keeps the order of the file.
 *
 * @param options pipeline options as strings (scalars from the YAML, e.g. {@code "500000"})
 * @param upstream ids of the tasks that must be considered (by {@code triggerRule}) first
 * @param executionTimeout how long one try may run before it is failed; empty for no limit
 */
public record TaskDefinition(
    String taskId,
    String pipeline,
    Map<String, String> options,
    List<String> upstream,
    RetryPolicy retryPolicy,
    Optional<Duration> executionTimeout,
    TriggerRule triggerRule,
    ExecutorType executor) {

  public TaskDefinition {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(pipeline, "pipeline");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    upstream = List.copyOf(upstream);
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(executionTimeout, "executionTimeout");
    Objects.requireNonNull(triggerRule, "triggerRule");
    Objects.requireNonNull(executor, "executor");
  }
}

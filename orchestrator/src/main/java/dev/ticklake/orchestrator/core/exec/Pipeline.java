package dev.ticklake.orchestrator.core.exec;

import java.util.Map;

/**
 * One runnable pipeline: task options (strings from the DAG file) plus the run context in, an
 * outcome out. Throwing fails the try; see {@link
 * dev.ticklake.orchestrator.core.retry.Retryability} for which errors are retried. Implementations
 * should stop early when the thread is interrupted (the executor interrupts on {@code
 * execution_timeout}).
 */
@FunctionalInterface
public interface Pipeline {
  PipelineOutcome run(Map<String, String> options, RunContext context) throws Exception;
}

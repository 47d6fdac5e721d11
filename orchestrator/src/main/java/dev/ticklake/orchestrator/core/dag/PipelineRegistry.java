package dev.ticklake.orchestrator.core.dag;

import java.util.Set;

/**
 * The pipelines that tasks may name in {@code pipeline:}. The DAG loader rejects a task whose
 * pipeline is not in {@link #names()}; the executors (later) look pipelines up by the same names.
 */
public interface PipelineRegistry {

  /** Names of the known pipelines; stable for the lifetime of the registry. */
  Set<String> names();

  /** A registry that knows exactly {@code names}. */
  static PipelineRegistry of(String... names) {
    Set<String> copy = Set.of(names);
    return () -> copy;
  }
}

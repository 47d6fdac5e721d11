package dev.ticklake.orchestrator.core.dag;

import java.util.List;
import java.util.Optional;

/**
 * What {@link DagLoader} found: the DAGs that loaded (sorted by id, ids unique) and one error per
 * problem in the files that did not.
 */
public record DagLoadResult(List<DagDefinition> dags, List<DagLoadError> errors) {

  public DagLoadResult {
    dags = List.copyOf(dags);
    errors = List.copyOf(errors);
  }

  public Optional<DagDefinition> dag(String dagId) {
    return dags.stream().filter(d -> d.dagId().equals(dagId)).findFirst();
  }
}

package dev.ticklake.orchestrator.core.dag;

import java.util.Objects;

/**
 * Why one DAG file (or one part of it) could not be loaded.
 *
 * @param source the file as the user knows it: the path as found in the DAG folder ({@code
 *     dags/bad.yml}) or {@code classpath:dags/x.yml} for a shipped default
 * @param field the path of the offending field ({@code tasks[1].upstream}), or null when the error
 *     concerns the whole file (unreadable, not YAML)
 * @param reason what is wrong and, where it helps, what is allowed
 */
public record DagLoadError(String source, String field, String reason) {

  public DagLoadError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code dags/bad.yml: tasks[1].upstream: unknown task 'refine' (known: a, b)}. */
  public String message() {
    return field == null ? source + ": " + reason : source + ": " + field + ": " + reason;
  }

  @Override
  public String toString() {
    return message();
  }
}

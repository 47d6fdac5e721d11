package dev.ticklake.orchestrator.core.dag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A DAG as loaded from one YAML file: its tasks, their dependencies and its schedule. Immutable.
 *
 * <p>Guarantees (checked by the constructor, so every instance has them): task ids are unique,
 * every upstream id names a task of this DAG, and the tasks form no cycle. {@code tasks} keeps the
 * order of the file.
 *
 * @param startDate first logical time for time-based schedules; empty for the others when not set
 * @param maxActiveRuns how many runs of this DAG may be running at once (at least 1)
 * @param maxQueuedRuns how many manual runs of this DAG may wait in {@code queued} (at least 1); a
 *     trigger beyond is refused. Empty: the service's {@code scheduler.maxQueuedRuns}
 * @param executor the default executor of the tasks (each task may override it)
 * @param source where the DAG was read from, for messages ({@code dags/medallion.yml})
 * @param sourceHash SHA-256 (hex) of the file's bytes: tells whether a file changed
 */
public record DagDefinition(
    String dagId,
    String description,
    Schedule schedule,
    Optional<Instant> startDate,
    boolean catchup,
    int maxActiveRuns,
    Optional<Integer> maxQueuedRuns,
    boolean paused,
    ExecutorType executor,
    List<TaskDefinition> tasks,
    String source,
    String sourceHash) {

  public DagDefinition {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(startDate, "startDate");
    Objects.requireNonNull(maxQueuedRuns, "maxQueuedRuns");
    if (maxQueuedRuns.filter(n -> n < 1).isPresent()) {
      throw new IllegalArgumentException("maxQueuedRuns must be >= 1, got " + maxQueuedRuns.get());
    }
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceHash, "sourceHash");
    tasks = List.copyOf(tasks);
    if (maxActiveRuns < 1) {
      throw new IllegalArgumentException("maxActiveRuns must be >= 1, got " + maxActiveRuns);
    }
    if (schedule.isTimeBased() && startDate.isEmpty()) {
      throw new IllegalArgumentException("a time-based schedule needs a start date");
    }
    Map<String, List<String>> graph = upstreamGraph(tasks);
    if (graph.size() != tasks.size()) {
      throw new IllegalArgumentException("duplicate task ids in DAG " + dagId);
    }
    for (TaskDefinition task : tasks) {
      for (String up : task.upstream()) {
        if (!graph.containsKey(up)) {
          throw new IllegalArgumentException(
              "task " + task.taskId() + " of DAG " + dagId + " has unknown upstream " + up);
        }
      }
    }
    TaskGraph.findCycle(graph)
        .ifPresent(
            cycle -> {
              throw new IllegalArgumentException(
                  "DAG " + dagId + " has a cycle: " + String.join(" -> ", cycle));
            });
  }

  /** The task with this id, if any. */
  public Optional<TaskDefinition> task(String taskId) {
    return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst();
  }

  /** Tasks such that each comes after all its upstream tasks (file order among equals). */
  public List<TaskDefinition> topologicalOrder() {
    Map<String, TaskDefinition> byId =
        tasks.stream()
            .collect(
                Collectors.toMap(
                    TaskDefinition::taskId, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    return TaskGraph.topologicalOrder(upstreamGraph(tasks)).stream().map(byId::get).toList();
  }

  /** Ids of the tasks that list {@code taskId} as upstream, in file order. */
  public List<String> downstream(String taskId) {
    return tasks.stream()
        .filter(t -> t.upstream().contains(taskId))
        .map(TaskDefinition::taskId)
        .toList();
  }

  private static Map<String, List<String>> upstreamGraph(List<TaskDefinition> tasks) {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (TaskDefinition t : tasks) {
      graph.put(t.taskId(), t.upstream());
    }
    return graph;
  }
}

package dev.ticklake.orchestrator.core.clear;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.TaskInstance;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses the task instances a {@link ClearRequest} clears. Pure: no I/O, thread-safe.
 *
 * <p>Rules: every named task must exist in the run (else {@link ClearException.Kind#NOT_FOUND});
 * {@code includeDownstream} adds every task reachable downstream in the DAG; {@code onlyFailed}
 * keeps {@code failed} and {@code upstream_failed} ones; and every chosen task instance must be
 * finished ({@link TaskState#TERMINAL}), since a running try cannot be cleared under its worker
 * (else {@link ClearException.Kind#CONFLICT}, naming them). The result is in the DAG's topological
 * order, and may be empty (e.g. {@code onlyFailed} on a successful run).
 */
public final class ClearPlanner {

  private static final Set<TaskState> FAILED = Set.of(TaskState.FAILED, TaskState.UPSTREAM_FAILED);

  private ClearPlanner() {}

  public static List<TaskInstance> plan(
      DagDefinition dag, List<TaskInstance> instances, ClearRequest request) {
    Map<String, TaskInstance> byTask = new LinkedHashMap<>();
    for (TaskInstance ti : instances) {
      byTask.put(ti.taskId(), ti);
    }
    Set<String> chosen = new LinkedHashSet<>();
    if (request.taskIds().isPresent()) {
      Set<String> unknown = new TreeSet<>();
      for (String id : request.taskIds().get()) {
        if (byTask.containsKey(id)) {
          chosen.add(id);
        } else {
          unknown.add(id);
        }
      }
      if (!unknown.isEmpty()) {
        throw new ClearException(
            ClearException.Kind.NOT_FOUND,
            "no task "
                + String.join(", ", unknown)
                + " in run "
                + instances.stream().findFirst().map(TaskInstance::runId).orElse("?")
                + " (tasks: "
                + String.join(", ", new TreeSet<>(byTask.keySet()))
                + ")");
      }
    } else {
      chosen.addAll(byTask.keySet());
    }
    if (request.includeDownstream()) {
      Deque<String> todo = new ArrayDeque<>(chosen);
      while (!todo.isEmpty()) {
        for (String down : dag.downstream(todo.pop())) {
          if (byTask.containsKey(down) && chosen.add(down)) {
            todo.push(down);
          }
        }
      }
    }
    if (request.onlyFailed()) {
      chosen.removeIf(id -> !FAILED.contains(byTask.get(id).state()));
    }
    List<String> unfinished = new ArrayList<>();
    for (String id : new TreeSet<>(chosen)) {
      TaskInstance ti = byTask.get(id);
      if (!ti.state().isTerminal()) {
        unfinished.add(id + " (" + ti.state().dbName() + ")");
      }
    }
    if (!unfinished.isEmpty()) {
      throw new ClearException(
          ClearException.Kind.CONFLICT,
          "cannot clear unfinished task instances: "
              + String.join(", ", unfinished)
              + "; wait until they finish, or clear only the finished ones (taskIds or"
              + " onlyFailed)");
    }
    // Topological order, then any task no longer in the DAG file, by id.
    List<TaskInstance> out = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    dag.topologicalOrder().forEach(t -> placed.add(t.taskId()));
    for (String id : placed) {
      if (chosen.contains(id)) {
        out.add(byTask.get(id));
      }
    }
    for (String id : new TreeSet<>(chosen)) {
      if (!placed.contains(id)) {
        out.add(byTask.get(id));
      }
    }
    return out;
  }
}

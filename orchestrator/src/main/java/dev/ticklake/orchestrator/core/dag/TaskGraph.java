package dev.ticklake.orchestrator.core.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Graph helpers over "task id to its upstream task ids" maps. Results are deterministic: ties are
 * broken by the iteration order of the map (the order of the DAG file).
 */
public final class TaskGraph {

  private TaskGraph() {}

  /**
   * A cycle, if there is one, as a path that starts and ends with the same task, e.g. {@code [a, b,
   * c, a]} for a -> b -> c -> a (each task is upstream of the next). Upstream ids that are not keys
   * of the map are ignored.
   */
  public static Optional<List<String>> findCycle(Map<String, List<String>> upstreamByTask) {
    Map<String, Integer> color = new HashMap<>(); // absent: new, 1: on the path, 2: done
    for (String start : upstreamByTask.keySet()) {
      List<String> path = new ArrayList<>();
      Optional<List<String>> cycle = visit(start, upstreamByTask, color, path);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> visit(
      String task,
      Map<String, List<String>> upstreamByTask,
      Map<String, Integer> color,
      List<String> path) {
    Integer c = color.get(task);
    if (c != null && c == 2) {
      return Optional.empty();
    }
    if (c != null) {
      // The path walks upstream; the cycle is its tail from task, reversed to read downstream.
      List<String> tail = new ArrayList<>(path.subList(path.indexOf(task), path.size()));
      Collections.reverse(tail);
      List<String> cycle = new ArrayList<>();
      cycle.add(task);
      cycle.addAll(tail);
      return Optional.of(List.copyOf(cycle));
    }
    color.put(task, 1);
    path.add(task);
    for (String up : upstreamByTask.getOrDefault(task, List.of())) {
      if (upstreamByTask.containsKey(up)) {
        Optional<List<String>> cycle = visit(up, upstreamByTask, color, path);
        if (cycle.isPresent()) {
          return cycle;
        }
      }
    }
    path.remove(path.size() - 1);
    color.put(task, 2);
    return Optional.empty();
  }

  /**
   * The task ids such that every task comes after all its upstream tasks; among tasks that are
   * ready at the same time, the map's order wins.
   *
   * @throws IllegalArgumentException if the graph has a cycle (the message shows it)
   */
  public static List<String> topologicalOrder(Map<String, List<String>> upstreamByTask) {
    findCycle(upstreamByTask)
        .ifPresent(
            cycle -> {
              throw new IllegalArgumentException("cycle: " + String.join(" -> ", cycle));
            });
    Map<String, Boolean> placed = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    while (order.size() < upstreamByTask.size()) {
      for (Map.Entry<String, List<String>> e : upstreamByTask.entrySet()) {
        if (!placed.containsKey(e.getKey())
            && e.getValue().stream()
                .allMatch(up -> placed.containsKey(up) || !upstreamByTask.containsKey(up))) {
          placed.put(e.getKey(), true);
          order.add(e.getKey());
          break;
        }
      }
    }
    return List.copyOf(order);
  }
}

package dev.ticklake.orchestrator.core.lineage;

import dev.ticklake.orchestrator.db.LineageDao;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lineage graph around one dataset or job, from the recorded edges. Pure.
 *
 * <p>The graph is bipartite: datasets and jobs, with an edge {@code dataset -> job} when the job
 * read the dataset and {@code job -> dataset} when it wrote it. Upstream follows edges backwards,
 * downstream forwards, each from the root only (siblings are not included). {@code depth} counts
 * jobs: depth 1 around a dataset is its producers and consumers and their other inputs/outputs on
 * the way (for upstream: the jobs that wrote it and the datasets they read); around a job, its
 * inputs and outputs.
 */
public final class LineageGraph {

  /** A node id: {@code dataset:<namespace>|<name>} or {@code job:<namespace>|<dag>.<task>}. */
  public record Node(String id, String type, String namespace, String name) {
    static Node dataset(Dataset d) {
      return new Node("dataset:" + d, "dataset", d.namespace(), d.name());
    }

    static Node job(String namespace, String dagId, String taskId) {
      String name = dagId + "." + taskId;
      return new Node("job:" + namespace + "|" + name, "job", namespace, name);
    }
  }

  /** A directed edge between node ids. */
  public record Edge(String from, String to) {}

  /** The answer: the root's id, its nodes (root first) and edges. */
  public record Graph(String root, List<Node> nodes, List<Edge> edges) {}

  /** Which way to walk from the root. */
  public enum Direction {
    UPSTREAM,
    DOWNSTREAM,
    BOTH
  }

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, Set<String>> out = new HashMap<>();
  private final Map<String, Set<String>> in = new HashMap<>();

  /** The graph of all {@code edges}; jobs are named in {@code jobNamespace}. */
  public LineageGraph(String jobNamespace, List<LineageDao.Edge> edges) {
    for (LineageDao.Edge e : edges) {
      Node d = Node.dataset(e.dataset());
      Node j = Node.job(jobNamespace, e.dagId(), e.taskId());
      nodes.putIfAbsent(d.id(), d);
      nodes.putIfAbsent(j.id(), j);
      if (e.input()) {
        link(d.id(), j.id());
      } else {
        link(j.id(), d.id());
      }
    }
  }

  private void link(String from, String to) {
    out.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(to);
    in.computeIfAbsent(to, k -> new LinkedHashSet<>()).add(from);
  }

  public static String datasetId(Dataset d) {
    return Node.dataset(d).id();
  }

  public static String jobId(String namespace, String dagId, String taskId) {
    return Node.job(namespace, dagId, taskId).id();
  }

  public boolean contains(String nodeId) {
    return nodes.containsKey(nodeId);
  }

  /** The subgraph around {@code rootId} (which must exist), {@code depth} jobs deep (>= 1). */
  public Graph around(String rootId, int depth, Direction direction) {
    Node root = nodes.get(rootId);
    if (root == null) {
      throw new IllegalArgumentException("no node " + rootId);
    }
    // Edges from the root: dataset roots reach their k-th job after 2k-1 edges and that job's
    // datasets after 2k; job roots reach their datasets after 1 edge and the k-th job after 2k-2.
    int maxEdges = root.type().equals("dataset") ? 2 * depth : 2 * depth - 1;
    Set<String> seen = new LinkedHashSet<>();
    seen.add(rootId);
    Set<Edge> edges = new LinkedHashSet<>();
    if (direction != Direction.DOWNSTREAM) {
      walk(rootId, maxEdges, in, true, seen, edges);
    }
    if (direction != Direction.UPSTREAM) {
      walk(rootId, maxEdges, out, false, seen, edges);
    }
    List<Node> list = new ArrayList<>();
    seen.forEach(id -> list.add(nodes.get(id)));
    return new Graph(rootId, list, List.copyOf(edges));
  }

  private static void walk(
      String root,
      int maxEdges,
      Map<String, Set<String>> next,
      boolean backwards,
      Set<String> seen,
      Set<Edge> edges) {
    Map<String, Integer> distance = new HashMap<>();
    distance.put(root, 0);
    Deque<String> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      String id = queue.poll();
      int d = distance.get(id);
      if (d >= maxEdges) {
        continue;
      }
      for (String n : next.getOrDefault(id, Set.of())) {
        edges.add(backwards ? new Edge(n, id) : new Edge(id, n));
        seen.add(n);
        if (!distance.containsKey(n)) {
          distance.put(n, d + 1);
          queue.add(n);
        }
      }
    }
  }
}

package dev.ticklake.orchestrator.api;

import dev.ticklake.orchestrator.core.lineage.LineageGraph;
import java.util.List;

/** The answer of {@code GET /api/v1/lineage/graph}. */
public record LineageGraphView(
    String root,
    int depth,
    String direction,
    List<LineageGraph.Node> nodes,
    List<LineageGraph.Edge> edges) {}

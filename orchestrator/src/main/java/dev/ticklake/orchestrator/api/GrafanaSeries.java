package dev.ticklake.orchestrator.api;

import java.util.List;

/**
 * A time-series answer of the Grafana JSON datasource: {@code {"target": "AAPL close",
 * "datapoints": [[187.1, 1763560800000], ...]}}, value first, epoch millis second, oldest first.
 */
public record GrafanaSeries(String target, List<Number[]> datapoints) {}

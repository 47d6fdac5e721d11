package dev.ticklake.orchestrator.api;

import java.util.List;

/**
 * A table answer of the Grafana JSON datasource: {@code {"type": "table", "columns": [{"text":
 * "time", "type": "time"}, ...], "rows": [[1763560800000, "AAPL", 187.1], ...]}}. Times are epoch
 * millis; a cell may be null.
 */
public record GrafanaTable(String type, List<Column> columns, List<List<Object>> rows) {

  /** A column: its name and Grafana type ({@code time}, {@code string}, {@code number}). */
  public record Column(String text, String type) {}

  public static GrafanaTable of(List<Column> columns, List<List<Object>> rows) {
    return new GrafanaTable("table", columns, rows);
  }
}

package dev.ticklake.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One metric of {@code POST /grafana/metrics}: its value, label and payload options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrafanaMetric(String label, String value, List<Payload> payloads) {

  /**
   * A payload option of a metric. {@code options} null: Grafana asks {@code
   * /metric-payload-options} when the drop-down opens.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Payload(
      String label,
      String name,
      String type,
      String placeholder,
      Boolean reloadMetric,
      List<GrafanaOption> options) {}
}

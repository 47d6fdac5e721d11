package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.serving.ServingApps.Answer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calls of the Grafana API as the plugin makes them, each checked against the contract. */
final class GrafanaCalls {
  static final GrafanaContract CONTRACT = GrafanaContract.corrected();

  private final String base;

  /**
   * @param base e.g. {@code http://localhost:8080}
   */
  GrafanaCalls(String base) {
    this.base = base;
  }

  /** POSTs to /grafana{path}; checks the request (when the spec has a body) and a 200 answer. */
  JsonNode post(String path, String body) {
    JsonNode request;
    try {
      request = ServingApps.JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    if (!path.equals("/tag-keys")) {
      CONTRACT.assertRequest("post", path, request);
    }
    Answer a = ServingApps.send("POST", base + "/grafana" + path, body);
    assertThat(a.status()).as("POST /grafana%s: %s", path, a.text()).isEqualTo(200);
    CONTRACT.assertResponse("post", path, a.json());
    return a.json();
  }

  /** POSTs without checks (for bad input). */
  Answer raw(String path, String body) {
    return ServingApps.send("POST", base + "/grafana" + path, body);
  }

  static String query(String from, String to, int maxDataPoints, long intervalMs, String targets) {
    return query(from, to, maxDataPoints, intervalMs, targets, "[]");
  }

  static String query(
      String from, String to, int maxDataPoints, long intervalMs, String targets, String filters) {
    return "{\"panelId\": 1, \"range\": {\"from\": \""
        + from
        + "\", \"to\": \""
        + to
        + "\", \"raw\": {\"from\": \"now-6h\", \"to\": \"now\"}}, \"interval\": \"1m\","
        + " \"intervalMs\": "
        + intervalMs
        + ", \"maxDataPoints\": "
        + maxDataPoints
        + ", \"targets\": "
        + targets
        + ", \"filters\": "
        + filters
        + "}";
  }

  static String target(String metric, String refId, String payload) {
    return "{\"target\": \""
        + metric
        + "\", \"refId\": \""
        + refId
        + "\", \"payload\": "
        + payload
        + "}";
  }

  /** A series' datapoints as time → value. */
  static Map<Long, Double> points(JsonNode series) {
    Map<Long, Double> m = new LinkedHashMap<>();
    for (JsonNode p : series.get("datapoints")) {
      m.put(p.get(1).asLong(), p.get(0).asDouble());
    }
    return m;
  }

  static JsonNode seriesNamed(JsonNode answer, String name) {
    for (JsonNode s : answer) {
      if (name.equals(s.path("target").asText())) {
        return s;
      }
    }
    throw new AssertionError("no series '" + name + "' in " + answer);
  }
}

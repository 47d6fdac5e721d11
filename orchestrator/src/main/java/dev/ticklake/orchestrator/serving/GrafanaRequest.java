package dev.ticklake.orchestrator.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code POST /grafana/query} body, parsed and checked: the time range, {@code intervalMs},
 * {@code maxDataPoints}, the targets and the ad-hoc filters. Fields Grafana sends that the API does
 * not use ({@code panelId}, {@code scopedVars}, {@code requestId}...) are ignored; a used field of
 * the wrong type is a 400 that names it and says what it must be.
 */
public record GrafanaRequest(
    Instant from,
    Instant to,
    long intervalMs,
    int maxDataPoints,
    List<Target> targets,
    Set<String> filterSymbols) {

  /** One target: the metric name, Grafana's refId and the payload (an object, maybe empty). */
  public record Target(String metric, String refId, JsonNode payload) {

    /**
     * A payload value as strings: a string (a comma list, {@code {A,B}} or {@code (A|B)}) or an
     * array of them.
     */
    public List<String> strings(String name) {
      return GrafanaRequest.strings(payload.get(name), "payload." + name + " of " + metric);
    }

    /** A single-valued payload value, if given. */
    public Optional<String> string(String name) {
      List<String> values = strings(name);
      if (values.size() > 1) {
        throw ServingRequestException.badRequest(
            "payload." + name + " of " + metric + " takes one value, got " + values);
      }
      return values.stream().findFirst();
    }
  }

  /** The Grafana default when a request does not say. */
  public static final int DEFAULT_MAX_DATA_POINTS = 1000;

  public static GrafanaRequest parse(JsonNode body) {
    JsonNode range = body.get("range");
    if (range == null || !range.isObject()) {
      throw ServingRequestException.badRequest(
          "range is required: {\"from\": \"2026-11-20T14:30:00Z\", \"to\": \"2026-11-20T16:00:00Z\"}");
    }
    Instant from = instant(range.get("from"), "range.from");
    Instant to = instant(range.get("to"), "range.to");
    long intervalMs = number(body.get("intervalMs"), "intervalMs", 0, 0, Long.MAX_VALUE);
    int maxDataPoints =
        (int)
            number(
                body.get("maxDataPoints"), "maxDataPoints", DEFAULT_MAX_DATA_POINTS, 2, 1_000_000);
    JsonNode targetsNode = body.get("targets");
    if (targetsNode == null || !targetsNode.isArray()) {
      throw ServingRequestException.badRequest(
          "targets must be an array of {\"target\": \"<metric>\", \"refId\": \"A\", \"payload\": {...}}");
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < targetsNode.size(); i++) {
      JsonNode t = targetsNode.get(i);
      String where = "targets[" + i + "]";
      if (!t.isObject()) {
        throw ServingRequestException.badRequest(where + " must be an object with a target");
      }
      JsonNode metric = t.get("target");
      if (metric == null || !metric.isTextual() || metric.asText().isBlank()) {
        throw ServingRequestException.badRequest(
            where + ".target must be a metric name (POST /grafana/metrics lists them)");
      }
      JsonNode refId = t.get("refId");
      if (refId != null && !refId.isNull() && !refId.isTextual()) {
        throw ServingRequestException.badRequest(where + ".refId must be a string");
      }
      JsonNode payload = t.get("payload");
      if (payload == null || payload.isNull()) {
        payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      } else if (!payload.isObject()) {
        throw ServingRequestException.badRequest(where + ".payload must be an object");
      }
      targets.add(
          new Target(
              metric.asText().trim(),
              refId == null || refId.isNull() ? null : refId.asText(),
              payload));
    }
    return new GrafanaRequest(
        from, to, intervalMs, maxDataPoints, targets, filters(body.get("filters")));
  }

  /** Ad-hoc filters: only {@code symbol = X}; several are alternatives (X or Y). */
  static Set<String> filters(JsonNode filters) {
    Set<String> symbols = new LinkedHashSet<>();
    if (filters == null || filters.isNull()) {
      return symbols;
    }
    if (!filters.isArray()) {
      throw ServingRequestException.badRequest(
          "filters must be an array of {\"key\": \"symbol\", \"operator\": \"=\", \"value\": \"AAPL\"}");
    }
    for (JsonNode f : filters) {
      String key = f.path("key").asText("");
      String op = f.path("operator").asText("");
      JsonNode value = f.get("value");
      if (!"symbol".equals(key)) {
        throw ServingRequestException.badRequest(
            "unknown ad-hoc filter key '" + key + "'; accepted keys: symbol");
      }
      if (!"=".equals(op)) {
        throw ServingRequestException.badRequest(
            "unsupported ad-hoc filter operator '" + op + "'; accepted operators: =");
      }
      if (value == null || !value.isTextual()) {
        throw ServingRequestException.badRequest("ad-hoc filter value must be a string symbol");
      }
      symbols.add(value.asText().trim());
    }
    return symbols;
  }

  static Instant instant(JsonNode node, String name) {
    if (node == null || node.isNull()) {
      throw ServingRequestException.badRequest(
          name + " is required: an ISO-8601 date-time such as 2026-11-20T14:30:00Z");
    }
    if (!node.isTextual()) {
      throw ServingRequestException.badRequest(
          name
              + " must be an ISO-8601 date-time string, got "
              + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + " "
              + node);
    }
    try {
      return OffsetDateTime.parse(node.asText().trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw ServingRequestException.badRequest(
          name
              + " must be an ISO-8601 date-time such as 2026-11-20T14:30:00Z, got '"
              + node.asText()
              + "'");
    }
  }

  static long number(JsonNode node, String name, long dflt, long min, long max) {
    if (node == null || node.isNull()) {
      return dflt;
    }
    if (!node.isNumber()) {
      throw ServingRequestException.badRequest(
          name + " must be a number between " + min + " and " + max + ", got " + node);
    }
    double v = node.asDouble();
    if (v < min || v > max || Double.isNaN(v)) {
      throw ServingRequestException.badRequest(
          name + " must be between " + min + " and " + max + ", got " + node);
    }
    return (long) v;
  }

  static List<String> strings(JsonNode node, String name) {
    List<String> out = new ArrayList<>();
    if (node == null || node instanceof NullNode) {
      return out;
    }
    if (node.isTextual()) {
      // Regex-formatted values come escaped (silver\/ticks, BRK\.B): no served name has a '\'.
      String text = node.asText().trim().replaceAll("\\\\(.)", "$1");
      // A multi-value variable as Grafana formats it: {A,B} (glob, the default) or (A|B) (regex,
      // the plugin's builder mode).
      if (text.startsWith("{") && text.endsWith("}")
          || text.startsWith("(") && text.endsWith(")")) {
        text = text.substring(1, text.length() - 1);
      }
      for (String part : text.split("[,|]")) {
        if (!part.isBlank() && !part.trim().equals("$__all")) {
          out.add(part.trim());
        }
      }
      return out;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          throw ServingRequestException.badRequest(
              name + " must be a string or an array of strings");
        }
        out.addAll(strings(n, name));
      }
      return out;
    }
    throw ServingRequestException.badRequest(
        name + " must be a string or an array of strings, got " + node);
  }
}

package dev.ticklake.orchestrator.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shipped dashboard's JSON-datasource target as the simPod plugin sends it in a {@code POST
 * /grafana/query}: {@code $var} and {@code ${var}} replaced by the variables' values. Not used by
 * the service itself: the dashboard tests and the serving benchmark send what Grafana would send,
 * so both build it here, the same way.
 */
public final class DashboardTargets {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  private DashboardTargets() {}

  /**
   * The target {@code {target, refId, payload}} of a dashboard target {@code t} ({@code target},
   * {@code refId}, {@code payload}, {@code editorMode}); {@code vars}: variable name → its selected
   * values.
   *
   * @throws IllegalArgumentException when the target uses a variable not in {@code vars}, or its
   *     code-mode payload is not a JSON object once the variables are replaced
   */
  public static ObjectNode target(JsonNode t, Map<String, List<String>> vars) {
    JsonNode payload = t.get("payload");
    ObjectNode out = JSON.createObjectNode();
    if ("builder".equals(t.path("editorMode").asText())) {
      // Builder mode: each value in Grafana's regex format, (A|B) for several.
      Iterator<Map.Entry<String, JsonNode>> it = payload.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), replace(e.getValue().asText(), vars, true));
      }
    } else if (payload != null) {
      // Code mode: "$var" replaced by its JSON format; the text must still be a JSON object.
      String text = payload.isTextual() ? payload.asText() : payload.toString();
      JsonNode parsed = parse(replace(text, vars, false));
      if (!parsed.isObject()) {
        throw new IllegalArgumentException(
            "the payload of " + t.get("target") + " is not a JSON object: " + parsed);
      }
      out = (ObjectNode) parsed;
    }
    ObjectNode target = JSON.createObjectNode();
    target.put("target", t.get("target").asText());
    target.put("refId", t.path("refId").asText("A"));
    target.set("payload", out);
    return target;
  }

  /**
   * {@code text} with each variable replaced: in Grafana's regex format ({@code regex}: escaped,
   * {@code (A|B)} for several) or as the plugin's code mode does (one value as it is, several as a
   * JSON array).
   *
   * @throws IllegalArgumentException when a variable is not in {@code vars}
   */
  public static String replace(String text, Map<String, List<String>> vars, boolean regex) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      List<String> values = vars.get(m.group(1));
      if (values == null) {
        throw new IllegalArgumentException(
            "variable $" + m.group(1) + " is not defined; defined: " + vars.keySet());
      }
      String r;
      if (regex) {
        List<String> escaped =
            values.stream().map(v -> v.replaceAll("([\\\\^$*+?.()|\\[\\]{}/])", "\\\\$1")).toList();
        r = escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
      } else {
        // The plugin's cleanMatch: a quoted JSON string is unquoted, other JSON stays as it is.
        r = values.size() == 1 ? values.get(0) : JSON.valueToTree(values).toString();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(r));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("a dashboard payload is not JSON: " + text, e);
    }
  }
}

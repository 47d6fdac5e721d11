package dev.ticklake.orchestrator.core.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task options that take values from the run's conf: {@code {{ conf.symbols }}} or {@code {{
 * conf.params.seed | default: 42 }}} anywhere in an option's value is replaced by that conf value
 * (text as is, numbers and booleans as written, arrays joined with commas, objects as JSON), or by
 * the default when the run's conf lacks it. Options without a template pass unchanged; nothing else
 * is evaluated.
 */
public final class ConfTemplates {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEMPLATE =
      Pattern.compile(
          "\\{\\{\\s*conf\\.([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)\\s*"
              + "(?:\\|\\s*default\\s*:\\s*([^}]*?))?\\s*}}");

  private ConfTemplates() {}

  /**
   * The options with every template replaced.
   *
   * @param conf the run's conf as stored (JSON object text), or null for none
   * @throws IllegalArgumentException naming the option and the missing key when a template has no
   *     value and no default, or when the conf is not a JSON object
   */
  public static Map<String, String> render(Map<String, String> options, String conf) {
    JsonNode root = parse(conf);
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach((name, value) -> out.put(name, renderValue(name, value, root)));
    return out;
  }

  private static String renderValue(String option, String value, JsonNode conf) {
    if (value == null || !value.contains("{{")) {
      return value;
    }
    Matcher m = TEMPLATE.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      JsonNode found = conf.at("/" + m.group(1).replace('.', '/'));
      String replacement;
      if (!found.isMissingNode() && !found.isNull()) {
        replacement = text(found);
      } else if (m.group(2) != null) {
        replacement = m.group(2).strip();
      } else {
        throw new IllegalArgumentException(
            "task option '"
                + option
                + "' uses "
                + m.group()
                + " but the run's conf has no '"
                + m.group(1)
                + "': trigger with {\"conf\": {\""
                + m.group(1).split("\\.")[0]
                + "\": ...}} or give a default, {{ conf."
                + m.group(1)
                + " | default: <value> }}");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String text(JsonNode node) {
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(text(item)));
      return String.join(",", items);
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  private static JsonNode parse(String conf) {
    if (conf == null || conf.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(conf);
      if (!node.isObject()) {
        throw new IllegalArgumentException("the run's conf must be a JSON object, got: " + conf);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the run's conf is not JSON: " + conf, e);
    }
  }
}

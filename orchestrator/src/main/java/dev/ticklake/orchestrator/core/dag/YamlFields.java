package dev.ticklake.orchestrator.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of YAML fields that record a {@link DagLoadError} (with the field's path) instead of
 * throwing, so one pass reports every problem of a file. Not thread-safe; one per file.
 */
final class YamlFields {

  private final String source;
  private final List<DagLoadError> errors = new ArrayList<>();

  YamlFields(String source) {
    this.source = source;
  }

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,249}");
  static final String ID_RULE =
      "use letters, digits, '_', '.', '-' (starting with a letter or digit), at most 250";

  /** Whether {@code id} is a valid DAG or task id; reports it if not. */
  boolean validId(String id, String path) {
    if (!ID.matcher(id).matches()) {
      error(path, "'" + id + "' is not a valid id (" + ID_RULE + ")");
      return false;
    }
    return true;
  }

  List<DagLoadError> errors() {
    return errors;
  }

  void error(String field, String reason) {
    errors.add(new DagLoadError(source, field, reason));
  }

  /** Reports every key of {@code node} that is not in {@code known}. */
  void rejectUnknownFields(JsonNode node, String prefix, List<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String suggestion = closest(name, known).map(k -> "did you mean '" + k + "'? ").orElse("");
        error(
            prefix + name,
            "unknown field (" + suggestion + "known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** The value, or empty when absent or null (reported if {@code required}). */
  Optional<JsonNode> value(JsonNode parent, String key, String path, boolean required) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      if (required) {
        error(path, "missing required field");
      }
      return Optional.empty();
    }
    return Optional.of(node);
  }

  Optional<String> string(JsonNode parent, String key, String path, boolean required) {
    return value(parent, key, path, required).flatMap(n -> expectString(n, path));
  }

  Optional<String> expectString(JsonNode node, String path) {
    if (!node.isTextual()) {
      error(path, "expected a string, got " + describe(node));
      return Optional.empty();
    }
    return Optional.of(node.textValue());
  }

  Optional<Boolean> bool(JsonNode parent, String key, String path) {
    return value(parent, key, path, false)
        .flatMap(
            n -> {
              if (!n.isBoolean()) {
                error(path, "expected true or false, got " + describe(n));
                return Optional.empty();
              }
              return Optional.of(n.booleanValue());
            });
  }

  Optional<Integer> integer(JsonNode parent, String key, String path, int min) {
    return value(parent, key, path, false)
        .flatMap(
            n -> {
              if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                error(path, "expected a whole number, got " + describe(n));
                return Optional.empty();
              }
              if (n.intValue() < min) {
                error(path, "must be at least " + min + ", got " + n.intValue());
                return Optional.empty();
              }
              return Optional.of(n.intValue());
            });
  }

  Optional<Duration> duration(JsonNode parent, String key, String path) {
    return string(parent, key, path, false)
        .flatMap(
            s -> {
              Optional<Duration> d = Durations.parse(s);
              if (d.isEmpty()) {
                error(path, "bad duration '" + s + "' (" + Durations.FORMAT_HINT + ")");
              }
              return d;
            });
  }

  /** A name looked up with {@code lookup}; unknown names are reported with the known ones. */
  <T> Optional<T> named(
      JsonNode parent,
      String key,
      String path,
      String what,
      Function<String, Optional<T>> lookup,
      String known) {
    return string(parent, key, path, false)
        .flatMap(
            s -> {
              Optional<T> v = lookup.apply(s);
              if (v.isEmpty()) {
                error(path, "unknown " + what + " '" + s + "' (known: " + known + ")");
              }
              return v;
            });
  }

  /** A list of strings; a scalar where a list is expected is reported. */
  Optional<List<String>> stringList(JsonNode parent, String key, String path) {
    return value(parent, key, path, false)
        .flatMap(
            n -> {
              if (!n.isArray()) {
                error(path, "expected a list, e.g. [a, b], got " + describe(n));
                return Optional.empty();
              }
              List<String> out = new ArrayList<>();
              for (int i = 0; i < n.size(); i++) {
                expectString(n.get(i), path + "[" + i + "]").ifPresent(out::add);
              }
              return Optional.of(out);
            });
  }

  static String describe(JsonNode n) {
    if (n.isTextual()) {
      return "'" + n.textValue() + "'";
    } else if (n.isArray()) {
      return "a list";
    } else if (n.isObject()) {
      return "a mapping";
    } else if (n.isNumber()) {
      return "the number " + n.asText();
    } else if (n.isBoolean()) {
      return n.asText();
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The known name within edit distance 2 of {@code name}, if any (typo help). */
  private static Optional<String> closest(String name, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = editDistance(name, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

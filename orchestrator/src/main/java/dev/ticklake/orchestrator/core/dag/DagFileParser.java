package dev.ticklake.orchestrator.core.dag;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ticklake.orchestrator.core.retry.RetryPolicy;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the bytes of one DAG file into a {@link DagDefinition}, or into every {@link DagLoadError}
 * found in it. Stateless apart from the registry; thread-safe.
 */
final class DagFileParser {

  /** The result for one file: a DAG when {@code errors} is empty. */
  record Parsed(Optional<DagDefinition> dag, List<DagLoadError> errors) {}

  static final List<String> DAG_FIELDS =
      List.of(
          "dag_id",
          "description",
          "schedule",
          "start_date",
          "catchup",
          "max_active_runs",
          "paused",
          "executor",
          "default_args",
          "tasks");
  static final List<String> TASK_ARGS =
      List.of(
          "retries",
          "retry_delay",
          "retry_exponential_backoff",
          "max_retry_delay",
          "execution_timeout",
          "trigger_rule",
          "executor");
  static final List<String> TASK_FIELDS =
      concat(List.of("task_id", "pipeline", "options", "upstream"), TASK_ARGS);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,249}");
  private static final String ID_RULE =
      "use letters, digits, '_', '.', '-' (starting with a letter or digit), at most 250";

  /** Task settings that {@code default_args} provides and each task may override. */
  private record TaskArgs(
      Optional<Integer> retries,
      Optional<Duration> retryDelay,
      Optional<Boolean> exponentialBackoff,
      Optional<Duration> maxRetryDelay,
      Optional<Duration> executionTimeout,
      Optional<TriggerRule> triggerRule,
      Optional<ExecutorType> executor) {

    TaskArgs over(TaskArgs defaults) {
      return new TaskArgs(
          retries.or(defaults::retries),
          retryDelay.or(defaults::retryDelay),
          exponentialBackoff.or(defaults::exponentialBackoff),
          maxRetryDelay.or(defaults::maxRetryDelay),
          executionTimeout.or(defaults::executionTimeout),
          triggerRule.or(defaults::triggerRule),
          executor.or(defaults::executor));
    }
  }

  private final YAMLMapper yaml;
  private final PipelineRegistry registry;

  DagFileParser(PipelineRegistry registry) {
    this.registry = registry;
    this.yaml = new YAMLMapper();
    yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  Parsed parse(String source, byte[] bytes) {
    YamlFields f = new YamlFields(source);
    JsonNode root;
    try {
      root = yaml.readTree(bytes);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      f.error(null, "not valid YAML" + where + ": " + oneLine(e.getOriginalMessage()));
      return new Parsed(Optional.empty(), f.errors());
    } catch (IOException e) {
      f.error(null, "cannot read: " + e.getMessage());
      return new Parsed(Optional.empty(), f.errors());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      f.error(null, "the file is empty; a DAG file needs at least dag_id and tasks");
      return new Parsed(Optional.empty(), f.errors());
    }
    if (!root.isObject()) {
      f.error(
          null,
          "expected a mapping of DAG fields at the top level, got " + YamlFields.describe(root));
      return new Parsed(Optional.empty(), f.errors());
    }
    f.rejectUnknownFields(root, "", DAG_FIELDS);

    Optional<String> dagId =
        f.string(root, "dag_id", "dag_id", true).filter(id -> validId(f, id, "dag_id"));
    String description = f.string(root, "description", "description", false).orElse("");
    Optional<Schedule> schedule = schedule(f, root);
    Optional<Instant> startDate = startDate(f, root);
    schedule
        .filter(s -> s.isTimeBased() && startDate.isEmpty() && !root.has("start_date"))
        .ifPresent(
            s ->
                f.error(
                    "start_date",
                    "missing required field (schedule '" + s.describe() + "' is time-based)"));
    boolean catchup = f.bool(root, "catchup", "catchup").orElse(false);
    boolean paused = f.bool(root, "paused", "paused").orElse(false);
    int maxActiveRuns = f.integer(root, "max_active_runs", "max_active_runs", 1).orElse(1);
    ExecutorType executor =
        f.named(
                root,
                "executor",
                "executor",
                "executor",
                ExecutorType::fromYamlName,
                ExecutorType.knownNames())
            .orElse(ExecutorType.IN_PROCESS);

    TaskArgs defaults =
        new TaskArgs(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    Optional<JsonNode> defaultArgs = f.value(root, "default_args", "default_args", false);
    if (defaultArgs.isPresent()) {
      if (defaultArgs.get().isObject()) {
        f.rejectUnknownFields(defaultArgs.get(), "default_args.", TASK_ARGS);
        defaults = taskArgs(f, defaultArgs.get(), "default_args.");
      } else {
        f.error(
            "default_args", "expected a mapping, got " + YamlFields.describe(defaultArgs.get()));
      }
    }
    List<TaskDefinition> tasks = tasks(f, root, defaults, executor);

    if (!f.errors().isEmpty()) {
      return new Parsed(Optional.empty(), List.copyOf(f.errors()));
    }
    DagDefinition dag =
        new DagDefinition(
            dagId.orElseThrow(),
            description,
            schedule.orElseThrow(),
            startDate,
            catchup,
            maxActiveRuns,
            paused,
            executor,
            tasks,
            source,
            sha256(bytes));
    return new Parsed(Optional.of(dag), List.of());
  }

  /**
   * SnakeYAML's message without its "in 'reader', line n, column m:" snippets (the location is
   * reported already), on one line: it reads better in logs and API responses.
   */
  static String oneLine(String message) {
    List<String> kept = new ArrayList<>();
    boolean inSnippet = false;
    for (String line : message.split("\n")) {
      String t = line.strip();
      if (t.startsWith("in 'reader', line ")) {
        inSnippet = true;
      } else if (inSnippet) {
        inSnippet = !t.equals("^");
      } else if (!t.isEmpty()) {
        kept.add(t);
      }
    }
    return String.join("; ", kept);
  }

  private static boolean validId(YamlFields f, String id, String path) {
    if (!ID.matcher(id).matches()) {
      f.error(path, "'" + id + "' is not a valid id (" + ID_RULE + ")");
      return false;
    }
    return true;
  }

  private static Optional<Schedule> schedule(YamlFields f, JsonNode root) {
    JsonNode node = root.get("schedule");
    if (node == null || node.isNull()) {
      return Optional.of(new ManualOnly());
    }
    if (node.isObject()) {
      f.rejectUnknownFields(node, "schedule.", List.of("datasets"));
      Optional<List<String>> datasets = f.stringList(node, "datasets", "schedule.datasets");
      if (datasets.isPresent() && datasets.get().isEmpty()) {
        f.error("schedule.datasets", "list at least one dataset, e.g. [silver/ticks]");
        return Optional.empty();
      } else if (datasets.isEmpty() && !node.has("datasets")) {
        f.error("schedule.datasets", "missing required field");
      }
      return datasets.map(DatasetSchedule::new);
    }
    Optional<String> text = f.expectString(node, "schedule");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String s = text.get().trim();
    if (s.isEmpty() || s.equalsIgnoreCase("none")) {
      return Optional.of(new ManualOnly());
    }
    if (Durations.looksLikeDuration(s)) {
      Optional<Duration> interval = Durations.parse(s).filter(d -> !d.isZero());
      if (interval.isEmpty()) {
        f.error(
            "schedule", "bad interval '" + s + "' (" + Durations.FORMAT_HINT + ", greater than 0)");
      }
      return interval.map(d -> new IntervalSchedule(d, s));
    }
    try {
      return Optional.of(new CronSchedule(CronExpression.parse(s)));
    } catch (IllegalArgumentException e) {
      f.error("schedule", "bad cron expression: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Instant> startDate(YamlFields f, JsonNode root) {
    return f.string(root, "start_date", "start_date", false)
        .flatMap(
            s -> {
              try {
                return Optional.of(OffsetDateTime.parse(s).toInstant());
              } catch (DateTimeParseException notOffset) {
                try {
                  return Optional.of(LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException notDate) {
                  f.error(
                      "start_date",
                      "bad timestamp '"
                          + s
                          + "' (use e.g. 2026-01-01T00:00:00Z or 2026-01-01 for midnight UTC)");
                  return Optional.empty();
                }
              }
            });
  }

  private static TaskArgs taskArgs(YamlFields f, JsonNode node, String prefix) {
    return new TaskArgs(
        f.integer(node, "retries", prefix + "retries", 0),
        f.duration(node, "retry_delay", prefix + "retry_delay"),
        f.bool(node, "retry_exponential_backoff", prefix + "retry_exponential_backoff"),
        f.duration(node, "max_retry_delay", prefix + "max_retry_delay"),
        f.duration(node, "execution_timeout", prefix + "execution_timeout"),
        f.named(
            node,
            "trigger_rule",
            prefix + "trigger_rule",
            "trigger rule",
            TriggerRule::fromYamlName,
            TriggerRule.knownNames()),
        f.named(
            node,
            "executor",
            prefix + "executor",
            "executor",
            ExecutorType::fromYamlName,
            ExecutorType.knownNames()));
  }

  private List<TaskDefinition> tasks(
      YamlFields f, JsonNode root, TaskArgs defaults, ExecutorType dagExecutor) {
    Optional<JsonNode> tasksNode = f.value(root, "tasks", "tasks", true);
    if (tasksNode.isEmpty()) {
      return List.of();
    }
    if (!tasksNode.get().isArray() || tasksNode.get().isEmpty()) {
      f.error(
          "tasks",
          "expected a non-empty list of tasks, got " + YamlFields.describe(tasksNode.get()));
      return List.of();
    }
    int errorsBefore = f.errors().size();
    JsonNode list = tasksNode.get();
    List<TaskDefinition> tasks = new ArrayList<>();
    Map<String, Integer> indexById = new LinkedHashMap<>();
    List<Optional<String>> ids = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = "tasks[" + i + "].";
      JsonNode t = list.get(i);
      if (!t.isObject()) {
        f.error(
            "tasks[" + i + "]",
            "expected a mapping with task_id and pipeline, got " + YamlFields.describe(t));
        ids.add(Optional.empty());
        continue;
      }
      f.rejectUnknownFields(t, p, TASK_FIELDS);
      Optional<String> id =
          f.string(t, "task_id", p + "task_id", true).filter(s -> validId(f, s, p + "task_id"));
      ids.add(id);
      if (id.isPresent()) {
        Integer first = indexById.putIfAbsent(id.get(), i);
        if (first != null) {
          f.error(
              p + "task_id", "duplicate task id '" + id.get() + "' (also tasks[" + first + "])");
        }
      }
      Optional<String> pipeline = f.string(t, "pipeline", p + "pipeline", true);
      pipeline
          .filter(name -> !registry.names().contains(name))
          .ifPresent(
              name ->
                  f.error(
                      p + "pipeline",
                      "unknown pipeline '"
                          + name
                          + "' (known: "
                          + String.join(", ", registry.names().stream().sorted().toList())
                          + ")"));
      Map<String, String> options = options(f, t, p);
      List<String> upstream = f.stringList(t, "upstream", p + "upstream").orElse(List.of());
      TaskArgs args = taskArgs(f, t, p).over(defaults);
      if (id.isPresent() && pipeline.isPresent()) {
        tasks.add(
            new TaskDefinition(
                id.get(),
                pipeline.get(),
                options,
                upstream,
                new RetryPolicy(
                    args.retries().orElse(0),
                    args.retryDelay().orElse(RetryPolicy.DEFAULT_RETRY_DELAY),
                    args.exponentialBackoff().orElse(false),
                    args.maxRetryDelay().orElse(RetryPolicy.DEFAULT_MAX_RETRY_DELAY)),
                args.executionTimeout(),
                args.triggerRule().orElse(TriggerRule.ALL_SUCCESS),
                args.executor().orElse(dagExecutor)));
      }
    }
    checkUpstream(f, list, ids);
    if (f.errors().size() == errorsBefore) {
      Map<String, List<String>> graph = new LinkedHashMap<>();
      tasks.forEach(t -> graph.put(t.taskId(), t.upstream()));
      TaskGraph.findCycle(graph)
          .ifPresent(cycle -> f.error("tasks", "cycle: " + String.join(" -> ", cycle)));
    }
    return tasks;
  }

  /** Every upstream id must name another task of this file. */
  private static void checkUpstream(YamlFields f, JsonNode list, List<Optional<String>> ids) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode upstream = list.get(i).get("upstream");
      if (upstream == null || !upstream.isArray()) {
        continue;
      }
      String self = ids.get(i).orElse(null);
      for (JsonNode up : upstream) {
        if (!up.isTextual()) {
          continue;
        }
        String name = up.textValue();
        if (name.equals(self)) {
          f.error("tasks[" + i + "].upstream", "task '" + name + "' cannot be its own upstream");
        } else if (ids.stream().noneMatch(id -> id.isPresent() && id.get().equals(name))) {
          List<String> known =
              ids.stream().flatMap(Optional::stream).filter(id -> !id.equals(self)).toList();
          f.error(
              "tasks[" + i + "].upstream",
              "unknown task '" + name + "' (known: " + String.join(", ", known) + ")");
        }
      }
    }
  }

  /** Pipeline options: a mapping of names to scalars, kept as their text. */
  private static Map<String, String> options(YamlFields f, JsonNode task, String p) {
    Map<String, String> options = new LinkedHashMap<>();
    Optional<JsonNode> node = f.value(task, "options", p + "options", false);
    if (node.isEmpty()) {
      return options;
    }
    if (!node.get().isObject()) {
      f.error(
          p + "options",
          "expected a mapping of option names to values, got " + YamlFields.describe(node.get()));
      return options;
    }
    node.get()
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                options.put(e.getKey(), e.getValue().asText());
              } else {
                f.error(
                    p + "options." + e.getKey(),
                    "expected a string, number or boolean, got "
                        + YamlFields.describe(e.getValue()));
              }
            });
    return options;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}

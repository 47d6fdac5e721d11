package dev.ticklake.orchestrator.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code default_args} and {@code tasks} of a DAG file: task fields, defaults, pipelines,
 * duplicate ids, unknown upstream tasks and cycles. Thread-safe.
 */
final class TaskListParser {

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

  /** Task settings that {@code default_args} provides and each task may override. */
  record TaskArgs(
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

  private final PipelineRegistry registry;

  TaskListParser(PipelineRegistry registry) {
    this.registry = registry;
  }

  /** The tasks of the DAG file {@code root}, with {@code default_args} applied. */
  List<TaskDefinition> parse(YamlFields f, JsonNode root, ExecutorType dagExecutor) {
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
    return tasks(f, root, defaults, dagExecutor);
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
          f.string(t, "task_id", p + "task_id", true).filter(s -> f.validId(s, p + "task_id"));
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

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}

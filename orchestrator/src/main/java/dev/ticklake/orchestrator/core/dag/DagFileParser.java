package dev.ticklake.orchestrator.core.dag;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
import java.util.List;
import java.util.Optional;

/**
 * Turns the bytes of one DAG file into a {@link DagDefinition}, or into every {@link DagLoadError}
 * found in it. Thread-safe.
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
          "max_queued_runs",
          "paused",
          "executor",
          "default_args",
          "tasks");

  private final YAMLMapper yaml;
  private final TaskListParser taskParser;

  DagFileParser(PipelineRegistry registry) {
    this.taskParser = new TaskListParser(registry);
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
        f.string(root, "dag_id", "dag_id", true).filter(id -> f.validId(id, "dag_id"));
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
    Optional<Integer> maxQueuedRuns = f.integer(root, "max_queued_runs", "max_queued_runs", 1);
    ExecutorType executor =
        f.named(
                root,
                "executor",
                "executor",
                "executor",
                ExecutorType::fromYamlName,
                ExecutorType.knownNames())
            .orElse(ExecutorType.IN_PROCESS);

    List<TaskDefinition> tasks = taskParser.parse(f, root, executor);

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
            maxQueuedRuns,
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

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}

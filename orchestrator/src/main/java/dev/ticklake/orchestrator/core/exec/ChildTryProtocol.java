package dev.ticklake.orchestrator.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.transforms.delta.HadoopSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a parent and a child JVM exchange for one try: a request (pipeline, options, the full
 * {@link RunContext}) and a result (the {@link PipelineOutcome} with its lineage, or the error's
 * class, message and whether it is non-retryable). Both are small JSON files; the result is written
 * atomically (a temporary file moved into place), so a child killed mid-write leaves no result at
 * all.
 */
final class ChildTryProtocol {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ChildTryProtocol() {}

  /** What the child reports. Exactly one of {@code outcome} and {@code errorClass} is non-null. */
  record Result(
      PipelineOutcome outcome, String errorClass, String errorMessage, boolean nonRetryable) {}

  static void writeRequest(Path file, TaskRun run) throws IOException {
    RunContext ctx = run.context();
    ObjectNode n = JSON.createObjectNode();
    n.put("pipeline", run.pipeline());
    ObjectNode options = n.putObject("options");
    run.options().forEach(options::put);
    n.put("timeoutMillis", run.timeout().map(Duration::toMillis).orElse(-1L));
    ObjectNode c = n.putObject("context");
    c.put("lakeRoot", ctx.lakeRoot());
    c.put("bootstrapServers", ctx.bootstrapServers());
    c.put("runId", ctx.runId());
    c.put("taskId", ctx.taskId());
    c.put("tryNumber", ctx.tryNumber());
    c.put("logicalTime", ctx.logicalTime().toString());
    c.put("runner", ctx.runner().runner());
    c.put("flinkMaster", ctx.runner().flinkMaster());
    c.put("directParallelism", ctx.runner().directParallelism());
    c.put("flinkJobJar", ctx.runner().flinkJobJar());
    c.put("flinkParallelism", ctx.runner().flinkParallelism());
    // The lake's file system settings (the service's hadoop: map) reach the child's tables too.
    ObjectNode hadoop = n.putObject("hadoop");
    HadoopSettings.processWide().forEach(hadoop::put);
    JSON.writeValue(file.toFile(), n);
  }

  static TaskRun readRequest(Path file) throws IOException {
    JsonNode n = JSON.readTree(file.toFile());
    Map<String, String> hadoop = new LinkedHashMap<>();
    n.path("hadoop").fields().forEachRemaining(e -> hadoop.put(e.getKey(), e.getValue().asText()));
    HadoopSettings.setProcessWide(hadoop);
    JsonNode c = n.get("context");
    RunContext ctx =
        new RunContext(
            c.get("lakeRoot").asText(),
            c.get("bootstrapServers").asText(),
            c.get("runId").asText(),
            c.get("taskId").asText(),
            c.get("tryNumber").asInt(),
            Instant.parse(c.get("logicalTime").asText()),
            new RunnerSettings(
                c.get("runner").asText(),
                c.get("flinkMaster").asText(),
                c.path("directParallelism").asInt(0),
                c.path("flinkJobJar").asText(""),
                c.path("flinkParallelism").asInt(0)));
    Map<String, String> options = new LinkedHashMap<>();
    n.get("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
    long timeout = n.get("timeoutMillis").asLong();
    return new TaskRun(
        n.get("pipeline").asText(),
        options,
        ctx,
        timeout < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(timeout)));
  }

  static void writeResult(Path file, Result result) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    if (result.outcome() != null) {
      ObjectNode o = n.putObject("outcome");
      o.put("status", result.outcome().status());
      o.put("summary", result.outcome().summary());
      ObjectNode meta = o.putObject("metadata");
      result.outcome().metadata().forEach(meta::put);
      ObjectNode lineage = o.putObject("lineage");
      writeVersions(lineage.putArray("inputs"), result.outcome().lineage().inputs());
      writeVersions(lineage.putArray("outputs"), result.outcome().lineage().outputs());
    } else {
      ObjectNode e = n.putObject("error");
      e.put("class", result.errorClass());
      e.put("message", result.errorMessage());
      e.put("nonRetryable", result.nonRetryable());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), n);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The result the child wrote, or empty when it wrote none (it died first). */
  static Optional<Result> readResult(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(file.toFile());
    JsonNode o = n.get("outcome");
    if (o != null) {
      Map<String, String> meta = new LinkedHashMap<>();
      o.get("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
      return Optional.of(
          new Result(
              new PipelineOutcome(
                  o.get("status").asText(), o.get("summary").asText(), meta, lineage(o)),
              null,
              null,
              false));
    }
    JsonNode e = n.get("error");
    return Optional.of(
        new Result(
            null,
            e.get("class").asText(),
            e.get("message").isNull() ? null : e.get("message").asText(),
            e.get("nonRetryable").asBoolean()));
  }

  private static void writeVersions(ArrayNode out, List<DatasetVersion> versions) {
    for (DatasetVersion v : versions) {
      out.addObject()
          .put("namespace", v.dataset().namespace())
          .put("name", v.dataset().name())
          .put("version", v.version());
    }
  }

  /** The lineage the child reported; none when the result has no lineage (an older child). */
  private static TaskLineage lineage(JsonNode outcome) {
    JsonNode l = outcome.get("lineage");
    if (l == null || l.isNull()) {
      return TaskLineage.NONE;
    }
    return new TaskLineage(readVersions(l.get("inputs")), readVersions(l.get("outputs")));
  }

  private static List<DatasetVersion> readVersions(JsonNode array) {
    List<DatasetVersion> out = new ArrayList<>();
    if (array != null) {
      for (JsonNode v : array) {
        out.add(
            new DatasetVersion(
                new Dataset(v.get("namespace").asText(), v.get("name").asText()),
                v.get("version").asText()));
      }
    }
    return out;
  }
}

package dev.ticklake.orchestrator.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.api.auth.ApiPrincipal;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRecord;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The orchestrator's REST API under {@code /api/v1}: DAGs, runs, task instances, logs, manual
 * triggers. Mutating calls need authentication ({@link
 * dev.ticklake.orchestrator.api.auth.AuthFilter}); reads are open.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class DagsResource {

  /** Largest accepted trigger body. */
  public static final int MAX_TRIGGER_BYTES = 64 * 1024;

  private final Scheduler scheduler;
  private final DagDao dags;
  private final DagRunDao runs;
  private final TaskInstanceDao tasks;
  private final TaskLogDao logs;
  private final ObjectMapper json;

  public DagsResource(
      Scheduler scheduler,
      DagDao dags,
      DagRunDao runs,
      TaskInstanceDao tasks,
      TaskLogDao logs,
      ObjectMapper json) {
    this.scheduler = Objects.requireNonNull(scheduler);
    this.dags = dags;
    this.runs = runs;
    this.tasks = tasks;
    this.logs = logs;
    this.json = json;
  }

  /** Loaded DAGs with schedule, paused flag and tasks. */
  @GET
  @Path("dags")
  public List<Map<String, Object>> listDags() {
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, DagDefinition> loaded = scheduler.dags();
    for (DagRecord record : dags.list()) {
      DagDefinition dag = loaded.get(record.dagId());
      if (dag == null) {
        continue; // known to the database but its file is gone or broken
      }
      out.add(DagResource.view(dag, record));
    }
    return out;
  }

  @GET
  @Path("dags/{dagId}/runs")
  public List<Map<String, Object>> listRuns(
      @PathParam("dagId") String dagId, @QueryParam("limit") @DefaultValue("50") int limit) {
    requireDag(dagId);
    return runs.list(dagId, Math.max(1, Math.min(limit, 1000))).stream()
        .map(DagsResource::view)
        .toList();
  }

  /**
   * Triggers a manual run. Body (optional): {@code {"conf": {...}}}; 400 when it is not JSON or
   * {@code conf} is not an object, 413 over {@value #MAX_TRIGGER_BYTES} bytes, 404 for an unknown
   * DAG. Returns 201 with the run.
   */
  @POST
  @Path("dags/{dagId}/runs")
  @Consumes(MediaType.WILDCARD)
  public Response trigger(
      @PathParam("dagId") String dagId,
      @HeaderParam("Content-Length") Long contentLength,
      @Context SecurityContext security,
      InputStream body)
      throws IOException {
    if (contentLength != null && contentLength > MAX_TRIGGER_BYTES) {
      drain(body);
      throw error(
          Response.Status.REQUEST_ENTITY_TOO_LARGE, "body over " + MAX_TRIGGER_BYTES + " bytes");
    }
    byte[] bytes = body == null ? new byte[0] : body.readNBytes(MAX_TRIGGER_BYTES + 1);
    if (bytes.length > MAX_TRIGGER_BYTES) {
      drain(body);
      throw error(
          Response.Status.REQUEST_ENTITY_TOO_LARGE, "body over " + MAX_TRIGGER_BYTES + " bytes");
    }
    requireDag(dagId);
    String conf = null;
    if (bytes.length > 0 && !new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      JsonNode node;
      try {
        node = json.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw error(
            Response.Status.BAD_REQUEST, "body is not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw error(Response.Status.BAD_REQUEST, "body must be a JSON object like {\"conf\": {}}");
      }
      JsonNode c = node.get("conf");
      if (c != null && !c.isNull()) {
        if (!c.isObject()) {
          throw error(Response.Status.BAD_REQUEST, "conf must be a JSON object");
        }
        conf = json.writeValueAsString(c);
      }
    }
    DagRun run;
    try {
      run =
          scheduler.trigger(
              dagId,
              conf,
              ApiPrincipal.of(security).map(ApiPrincipal::actor).orElse(Actor.SCHEDULER));
    } catch (NoSuchElementException e) {
      throw error(Response.Status.NOT_FOUND, e.getMessage());
    }
    return Response.status(Response.Status.CREATED).entity(view(run)).build();
  }

  @GET
  @Path("runs/{runId}/tasks")
  public List<Map<String, Object>> listTasks(@PathParam("runId") String runId) {
    if (runs.find(runId).isEmpty()) {
      throw error(Response.Status.NOT_FOUND, "no run '" + runId + "'");
    }
    return tasks.listByRun(runId).stream().map(DagsResource::view).toList();
  }

  @GET
  @Path("runs/{runId}/tasks/{taskId}/logs/{try}")
  @Produces(MediaType.TEXT_PLAIN)
  public String log(
      @PathParam("runId") String runId,
      @PathParam("taskId") String taskId,
      @PathParam("try") int tryNumber) {
    return logs.find(runId, taskId, tryNumber)
        .orElseThrow(
            () ->
                new WebApplicationException(
                    Response.status(Response.Status.NOT_FOUND)
                        .type(MediaType.TEXT_PLAIN)
                        .entity("no log for " + runId + "/" + taskId + " try " + tryNumber + "\n")
                        .build()));
  }

  private void requireDag(String dagId) {
    if (!scheduler.dags().containsKey(dagId)) {
      throw error(Response.Status.NOT_FOUND, "no DAG '" + dagId + "'");
    }
  }

  private static WebApplicationException error(Response.Status status, String message) {
    return new WebApplicationException(
        Response.status(status)
            .type(MediaType.APPLICATION_JSON)
            .entity(Map.of("code", status.getStatusCode(), "message", message))
            .build());
  }

  static Map<String, Object> view(DagRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", r.runId());
    m.put("dagId", r.dagId());
    m.put("logicalTime", text(r.logicalTime()));
    m.put("runType", r.runType().dbName());
    m.put("state", r.state().dbName());
    m.put("conf", r.conf());
    m.put("queuedAt", text(r.queuedAt()));
    m.put("startedAt", text(r.startedAt()));
    m.put("endedAt", text(r.endedAt()));
    return m;
  }

  static Map<String, Object> view(TaskInstance t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", t.runId());
    m.put("taskId", t.taskId());
    m.put("state", t.state().dbName());
    m.put("tryNumber", t.tryNumber());
    m.put("maxTries", t.maxTries());
    m.put("executor", t.executor());
    m.put("hostname", t.hostname());
    m.put("queuedAt", text(t.queuedAt()));
    m.put("startedAt", text(t.startedAt()));
    m.put("endedAt", text(t.endedAt()));
    m.put("nextRetryAt", text(t.nextRetryAt()));
    return m;
  }

  private static String text(java.time.Instant t) {
    return t == null ? null : t.toString();
  }

  /**
   * Oversized bodies are read up to this much before answering 413; beyond it, the connection is
   * dropped.
   */
  private static final long MAX_DRAINED_BYTES = 16L << 20;

  /**
   * Reads and discards the rest of a rejected body, so that the client, still sending, gets the 413
   * instead of a reset connection.
   */
  private static void drain(InputStream body) throws IOException {
    if (body == null) {
      return;
    }
    long drained = 0;
    byte[] buffer = new byte[8192];
    for (int n; drained < MAX_DRAINED_BYTES && (n = body.read(buffer)) > 0; ) {
      drained += n;
    }
  }
}

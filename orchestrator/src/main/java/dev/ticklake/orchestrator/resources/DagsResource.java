package dev.ticklake.orchestrator.resources;

import static dev.ticklake.orchestrator.resources.ApiErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.auth.ApiPrincipal;
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
import java.util.Optional;

/**
 * The orchestrator's REST API under {@code /api/v1}: DAGs, runs, task instances, logs, manual
 * triggers. Mutating calls need authentication ({@link dev.ticklake.orchestrator.auth.AuthFilter});
 * reads are open.
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
    Optional<JsonNode> node = JsonBodies.readObject(json, body, contentLength, MAX_TRIGGER_BYTES);
    requireDag(dagId);
    String conf = null;
    JsonNode c = node.map(n -> n.get("conf")).orElse(null);
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw error(Response.Status.BAD_REQUEST, "conf must be a JSON object");
      }
      conf = json.writeValueAsString(c);
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
}

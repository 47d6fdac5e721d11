package dev.ticklake.orchestrator.resources;

import static dev.ticklake.orchestrator.resources.ApiErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.auth.ApiPrincipal;
import dev.ticklake.orchestrator.core.clear.ClearException;
import dev.ticklake.orchestrator.core.clear.ClearRequest;
import dev.ticklake.orchestrator.core.clear.RunClearer;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRecord;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DAG under {@code /api/v1/dags/{dagId}}: its detail, pause/unpause, and clear (re-run) of a
 * run's task instances. Mutating calls are authenticated by {@link
 * dev.ticklake.orchestrator.auth.AuthFilter}; the caller is recorded as the actor.
 */
// Rooted at /api/v1 like DagsResource (Jersey merges them): a root path of /api/v1/dags/{dagId}
// would win the match for /api/v1/dags/x/runs and hide DagsResource's methods (JAX-RS does not
// backtrack between root resources).
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class DagResource {

  private static final Logger LOG = LoggerFactory.getLogger(DagResource.class);

  /** Largest accepted PATCH or clear body. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final int MAX_REASON_CHARS = 1000;
  private static final Set<String> PATCH_FIELDS = Set.of("paused");
  private static final Set<String> CLEAR_FIELDS =
      Set.of("task_ids", "only_failed", "include_downstream", "reason");

  private final Scheduler scheduler;
  private final DagDao dags;
  private final RunClearer clearer;
  private final ObjectMapper json;

  public DagResource(Scheduler scheduler, DagDao dags, RunClearer clearer, ObjectMapper json) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.dags = Objects.requireNonNull(dags, "dags");
    this.clearer = Objects.requireNonNull(clearer, "clearer");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** The DAG as {@code GET /api/v1/dags} lists it; 404 when it is not loaded. */
  @GET
  @Path("dags/{dagId}")
  public Map<String, Object> get(@PathParam("dagId") String dagId) {
    DagDefinition dag = requireDag(dagId);
    DagRecord record =
        dags.find(dagId)
            .orElseThrow(() -> error(Response.Status.NOT_FOUND, "no DAG '" + dagId + "'"));
    return view(dag, record);
  }

  /**
   * {@code {"paused": true|false}}: pauses (no new scheduled runs; running and manual runs go on)
   * or unpauses. The flag is stored in the database and survives DAG file reloads and restarts. 400
   * for any other body, 404 for an unknown DAG. Returns the DAG.
   */
  @PATCH
  @Path("dags/{dagId}")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> patch(
      @PathParam("dagId") String dagId,
      @HeaderParam("Content-Length") Long contentLength,
      @Context SecurityContext security,
      InputStream body)
      throws IOException {
    JsonNode node =
        JsonBodies.readObject(json, body, contentLength, MAX_BODY_BYTES)
            .orElseThrow(
                () -> error(Response.Status.BAD_REQUEST, "body must be {\"paused\": true|false}"));
    rejectUnknownFields(node, PATCH_FIELDS);
    JsonNode paused = node.get("paused");
    if (paused == null || !paused.isBoolean()) {
      throw error(Response.Status.BAD_REQUEST, "paused must be true or false");
    }
    requireDag(dagId);
    if (!dags.setPaused(dagId, paused.booleanValue())) {
      throw error(Response.Status.NOT_FOUND, "no DAG '" + dagId + "'");
    }
    LOG.info("{} {} DAG {}", actor(security), paused.booleanValue() ? "paused" : "unpaused", dagId);
    return get(dagId);
  }

  /**
   * Clears task instances of a run so they run again. Body (optional; none clears the whole run):
   * {@code {"task_ids": [...], "only_failed": false, "include_downstream": false, "reason":
   * "..."}}. 404 for an unknown DAG, run or task; 409 when a chosen task instance is unfinished;
   * 400 for a bad body; nothing changes on any error. Returns the run and the cleared task ids.
   */
  @POST
  @Path("dags/{dagId}/runs/{runId}/clear")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> clear(
      @PathParam("dagId") String dagId,
      @PathParam("runId") String runId,
      @HeaderParam("Content-Length") Long contentLength,
      @Context SecurityContext security,
      InputStream body)
      throws IOException {
    Optional<JsonNode> node = JsonBodies.readObject(json, body, contentLength, MAX_BODY_BYTES);
    ClearRequest request = node.map(DagResource::clearRequest).orElse(ClearRequest.wholeRun(""));
    if (request.reason().isEmpty()) {
      request =
          new ClearRequest(
              request.taskIds(),
              request.onlyFailed(),
              request.includeDownstream(),
              describe(request));
    }
    DagDefinition dag = requireDag(dagId);
    Actor actor = actor(security);
    RunClearer.Result result;
    try {
      result = clearer.clear(dag, runId, request, actor);
    } catch (ClearException e) {
      throw error(
          e.kind() == ClearException.Kind.NOT_FOUND
              ? Response.Status.NOT_FOUND
              : Response.Status.CONFLICT,
          e.getMessage());
    }
    LOG.info(
        "{} cleared {} of run {}: {}", actor, result.clearedTaskIds(), runId, request.reason());
    scheduler.wakeUp();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", DagsResource.view(result.run()));
    out.put("cleared", result.clearedTaskIds());
    return out;
  }

  static ClearRequest clearRequest(JsonNode node) {
    rejectUnknownFields(node, CLEAR_FIELDS);
    Optional<List<String>> taskIds = Optional.empty();
    JsonNode ids = node.get("task_ids");
    if (ids != null && !ids.isNull()) {
      if (!ids.isArray() || ids.isEmpty()) {
        throw error(
            Response.Status.BAD_REQUEST,
            "task_ids must be a non-empty array of task ids (omit it to clear every task)");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode id : ids) {
        if (!id.isTextual() || id.asText().isBlank()) {
          throw error(Response.Status.BAD_REQUEST, "task_ids must hold task ids (strings)");
        }
        list.add(id.asText());
      }
      taskIds = Optional.of(list);
    }
    String reason = "";
    JsonNode r = node.get("reason");
    if (r != null && !r.isNull()) {
      if (!r.isTextual() || r.asText().length() > MAX_REASON_CHARS) {
        throw error(
            Response.Status.BAD_REQUEST,
            "reason must be a string of at most " + MAX_REASON_CHARS + " characters");
      }
      reason = r.asText().strip();
    }
    return new ClearRequest(
        taskIds, flag(node, "only_failed"), flag(node, "include_downstream"), reason);
  }

  private static boolean flag(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw error(Response.Status.BAD_REQUEST, name + " must be true or false");
    }
    return v.booleanValue();
  }

  private static String describe(ClearRequest r) {
    return "cleared through the API ("
        + r.taskIds().map(ids -> "task_ids=" + ids).orElse("whole run")
        + (r.onlyFailed() ? ", only_failed" : "")
        + (r.includeDownstream() ? ", include_downstream" : "")
        + ")";
  }

  private static void rejectUnknownFields(JsonNode node, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw error(
            Response.Status.BAD_REQUEST,
            "unknown field '"
                + field
                + "' (known: "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  private DagDefinition requireDag(String dagId) {
    DagDefinition dag = scheduler.dags().get(dagId);
    if (dag == null) {
      throw error(Response.Status.NOT_FOUND, "no DAG '" + dagId + "'");
    }
    return dag;
  }

  /** The authenticated caller; the filter guarantees one on mutating calls. */
  private static Actor actor(SecurityContext security) {
    return ApiPrincipal.of(security)
        .map(ApiPrincipal::actor)
        .orElseThrow(() -> error(Response.Status.UNAUTHORIZED, "authentication required"));
  }

  /** A DAG as the API shows it (list and detail). */
  static Map<String, Object> view(DagDefinition dag, DagRecord record) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dagId", dag.dagId());
    m.put("description", dag.description());
    m.put("schedule", dag.schedule().describe());
    m.put("paused", record.paused());
    m.put("maxActiveRuns", dag.maxActiveRuns());
    m.put("catchup", dag.catchup());
    m.put("source", dag.source());
    m.put(
        "tasks",
        dag.tasks().stream()
            .map(
                t ->
                    Map.of(
                        "taskId", t.taskId(),
                        "pipeline", t.pipeline(),
                        "upstream", t.upstream(),
                        "triggerRule", t.triggerRule().yamlName()))
            .toList());
    return m;
  }
}

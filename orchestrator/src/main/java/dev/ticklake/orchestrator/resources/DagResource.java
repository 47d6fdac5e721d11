package dev.ticklake.orchestrator.resources;

import static dev.ticklake.orchestrator.resources.ApiErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.api.ClearResult;
import dev.ticklake.orchestrator.api.DagRunView;
import dev.ticklake.orchestrator.api.DagView;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
  private static final List<String> PATCH_FIELDS = List.of("paused");
  // Sorted: the 400 for an unknown field lists them in this order.
  private static final List<String> CLEAR_FIELDS =
      List.of("includeDownstream", "onlyFailed", "reason", "taskIds");

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
  public DagView get(@PathParam("dagId") String dagId) {
    DagDefinition dag = RequestChecks.requireDag(scheduler, dagId);
    DagRecord record =
        dags.find(dagId)
            .orElseThrow(() -> error(Response.Status.NOT_FOUND, "no DAG '" + dagId + "'"));
    return DagView.of(dag, record);
  }

  /**
   * {@code {"paused": true|false}}: pauses (no new scheduled runs; running and manual runs go on)
   * or unpauses. The flag is stored in the database and survives DAG file reloads and restarts. 400
   * for any other body, 404 for an unknown DAG. Returns the DAG.
   */
  @PATCH
  @Path("dags/{dagId}")
  @Consumes(MediaType.WILDCARD)
  public DagView patch(
      @PathParam("dagId") String dagId,
      @HeaderParam("Content-Length") Long contentLength,
      @Context SecurityContext security,
      InputStream body)
      throws IOException {
    JsonNode node =
        JsonBodies.readObject(json, body, contentLength, MAX_BODY_BYTES)
            .orElseThrow(
                () -> error(Response.Status.BAD_REQUEST, "body must be {\"paused\": true|false}"));
    RequestChecks.rejectUnknownFields(node, PATCH_FIELDS);
    JsonNode paused = node.get("paused");
    if (paused == null || !paused.isBoolean()) {
      throw error(Response.Status.BAD_REQUEST, "paused must be true or false");
    }
    RequestChecks.requireDag(scheduler, dagId);
    if (!dags.setPaused(dagId, paused.booleanValue())) {
      throw error(Response.Status.NOT_FOUND, "no DAG '" + dagId + "'");
    }
    LOG.info(
        "{} {} DAG {}",
        RequestChecks.actor(security),
        paused.booleanValue() ? "paused" : "unpaused",
        dagId);
    return get(dagId);
  }

  /**
   * Clears task instances of a run so they run again. Body (optional; none clears the whole run):
   * {@code {"taskIds": [...], "onlyFailed": false, "includeDownstream": false, "reason": "..."}}.
   * 404 for an unknown DAG, run or task; 409 when a chosen task instance is unfinished; 400 for a
   * bad body ({@link ApiExceptionMappers} answers the clear's own errors); nothing changes on any
   * error. Returns the run and the cleared task ids.
   */
  @POST
  @Path("dags/{dagId}/runs/{runId}/clear")
  @Consumes(MediaType.WILDCARD)
  public ClearResult clear(
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
    DagDefinition dag = RequestChecks.requireDag(scheduler, dagId);
    Actor actor = RequestChecks.actor(security);
    RunClearer.Result result = clearer.clear(dag, runId, request, actor);
    LOG.info(
        "{} cleared {} of run {}: {}", actor, result.clearedTaskIds(), runId, request.reason());
    scheduler.wakeUp();
    return new ClearResult(DagRunView.of(result.run()), result.clearedTaskIds());
  }

  static ClearRequest clearRequest(JsonNode node) {
    RequestChecks.rejectUnknownFields(node, CLEAR_FIELDS);
    Optional<List<String>> taskIds = Optional.empty();
    JsonNode ids = node.get("taskIds");
    if (ids != null && !ids.isNull()) {
      if (!ids.isArray() || ids.isEmpty()) {
        throw error(
            Response.Status.BAD_REQUEST,
            "taskIds must be a non-empty array of task ids (omit it to clear every task)");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode id : ids) {
        if (!id.isTextual() || id.asText().isBlank()) {
          throw error(Response.Status.BAD_REQUEST, "taskIds must hold task ids (strings)");
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
        taskIds, flag(node, "onlyFailed"), flag(node, "includeDownstream"), reason);
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
        + r.taskIds().map(ids -> "taskIds=" + ids).orElse("whole run")
        + (r.onlyFailed() ? ", onlyFailed" : "")
        + (r.includeDownstream() ? ", includeDownstream" : "")
        + ")";
  }
}

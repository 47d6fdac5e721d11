package dev.ticklake.orchestrator.resources;

import static dev.ticklake.orchestrator.resources.ApiErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.api.CancelResult;
import dev.ticklake.orchestrator.api.DagRunView;
import dev.ticklake.orchestrator.api.DagView;
import dev.ticklake.orchestrator.api.TaskEventView;
import dev.ticklake.orchestrator.api.TaskInstanceView;
import dev.ticklake.orchestrator.auth.ApiPrincipal;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.exec.TryOutputs;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRecord;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private final TryOutputs outputs;
  private final ObjectMapper json;

  public DagsResource(
      Scheduler scheduler,
      DagDao dags,
      DagRunDao runs,
      TaskInstanceDao tasks,
      TaskLogDao logs,
      TryOutputs outputs,
      ObjectMapper json) {
    this.scheduler = Objects.requireNonNull(scheduler);
    this.dags = dags;
    this.runs = runs;
    this.tasks = tasks;
    this.logs = logs;
    this.outputs = outputs;
    this.json = json;
  }

  /** Loaded DAGs with schedule, paused flag and tasks. */
  @GET
  @Path("dags")
  public List<DagView> listDags() {
    List<DagView> out = new ArrayList<>();
    Map<String, DagDefinition> loaded = scheduler.dags();
    for (DagRecord record : dags.list()) {
      DagDefinition dag = loaded.get(record.dagId());
      if (dag == null) {
        continue; // known to the database but its file is gone or broken
      }
      out.add(DagView.of(dag, record));
    }
    return out;
  }

  @GET
  @Path("dags/{dagId}/runs")
  public List<DagRunView> listRuns(
      @PathParam("dagId") String dagId, @QueryParam("limit") String limitText) {
    int limit = RequestChecks.intParam("limit", limitText, 50, 1, 1000);
    RequestChecks.requireDag(scheduler, dagId);
    return runs.list(dagId, limit).stream().map(DagRunView::of).toList();
  }

  /**
   * Triggers a manual run. Body (optional): {@code {"conf": {...}}}; 400 when it is not JSON or
   * {@code conf} is not an object, 413 over {@value #MAX_TRIGGER_BYTES} bytes, 404 for an unknown
   * DAG (also when it goes away meanwhile: {@link ApiExceptionMappers}), 409 when the DAG has
   * {@code max_queued_runs} manual runs queued. Returns 201 with the run.
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
    node.ifPresent(n -> RequestChecks.rejectUnknownFields(n, List.of("conf")));
    RequestChecks.requireDag(scheduler, dagId);
    String conf = null;
    JsonNode c = node.map(n -> n.get("conf")).orElse(null);
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw error(Response.Status.BAD_REQUEST, "conf must be a JSON object");
      }
      conf = json.writeValueAsString(c);
    }
    DagRun run =
        scheduler.trigger(
            dagId,
            conf,
            ApiPrincipal.of(security).map(ApiPrincipal::actor).orElse(Actor.SCHEDULER));
    return Response.status(Response.Status.CREATED).entity(DagRunView.of(run)).build();
  }

  /**
   * Cancels a queued or running run: it and its unfinished task instances go to {@code canceled}
   * (tasks not started never start; running tries are stopped). 404 for an unknown run, 409 for a
   * finished one ({@link ApiExceptionMappers}). Any body is ignored.
   */
  @POST
  @Path("runs/{runId}/cancel")
  @Consumes(MediaType.WILDCARD)
  public CancelResult cancelRun(
      @PathParam("runId") String runId, @Context SecurityContext security) {
    return CancelResult.of(scheduler.cancelRun(runId, RequestChecks.actor(security)));
  }

  /**
   * Cancels one unfinished task instance (its running try is stopped and not retried); the run goes
   * on and downstream tasks see it as failed. 404 for an unknown run or task, 409 for a finished
   * task instance. Returns the task instance.
   */
  @POST
  @Path("runs/{runId}/tasks/{taskId}/cancel")
  @Consumes(MediaType.WILDCARD)
  public TaskInstanceView cancelTask(
      @PathParam("runId") String runId,
      @PathParam("taskId") String taskId,
      @Context SecurityContext security) {
    TaskInstance t = scheduler.cancelTask(runId, taskId, RequestChecks.actor(security));
    return TaskInstanceView.of(t, tasks.stateReasons(runId).get(taskId));
  }

  @GET
  @Path("runs/{runId}/tasks")
  public List<TaskInstanceView> listTasks(@PathParam("runId") String runId) {
    if (runs.find(runId).isEmpty()) {
      throw error(Response.Status.NOT_FOUND, "no run '" + runId + "'");
    }
    Map<String, String> reasons = tasks.stateReasons(runId);
    return tasks.listByRun(runId).stream()
        .map(t -> TaskInstanceView.of(t, reasons.get(t.taskId())))
        .toList();
  }

  /** The state history of a task instance, oldest first: every change with its actor and reason. */
  @GET
  @Path("runs/{runId}/tasks/{taskId}/events")
  public List<TaskEventView> events(
      @PathParam("runId") String runId, @PathParam("taskId") String taskId) {
    if (tasks.find(runId, taskId).isEmpty()) {
      throw error(Response.Status.NOT_FOUND, "no task '" + taskId + "' in run '" + runId + "'");
    }
    return tasks.events(runId, taskId).stream().map(TaskEventView::of).toList();
  }

  /** The try's log as plain text; errors (400 for a bad try number, 404) are JSON as elsewhere. */
  @GET
  @Path("runs/{runId}/tasks/{taskId}/logs/{try}")
  @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
  public Response log(
      @PathParam("runId") String runId,
      @PathParam("taskId") String taskId,
      @PathParam("try") String tryText) {
    int tryNumber = RequestChecks.intParam("try", tryText, 1, 1, Integer.MAX_VALUE);
    // A stored log once the try has ended; before that (or when its service died while it ran),
    // what a subprocess try's child JVM has written so far.
    Optional<String> log =
        logs.find(runId, taskId, tryNumber).or(() -> outputs.read(runId, taskId, tryNumber));
    List<TaskEvent> changes =
        tasks.events(runId, taskId).stream()
            .filter(e -> e.tryNumber() == tryNumber && e.reason() != null)
            .toList();
    if (log.isEmpty() && changes.isEmpty()) {
      throw ApiErrors.notFound("no log for " + runId + "/" + taskId + " try " + tryNumber);
    }
    // The scheduler's reasons close the log: a try failed by a timeout, a killed child or recovery
    // after a restart often has no output of its own that says so.
    StringBuilder text = new StringBuilder(log.orElse(""));
    if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
      text.append('\n');
    }
    for (TaskEvent e : changes) {
      text.append("[ticklake] ")
          .append(e.at())
          .append(' ')
          .append(e.fromState() == null ? "created" : e.fromState().dbName())
          .append(" -> ")
          .append(e.toState().dbName())
          .append(" (")
          .append(e.actor())
          .append("): ")
          .append(e.reason())
          .append('\n');
    }
    return Response.ok(text.toString(), MediaType.TEXT_PLAIN_TYPE).build();
  }
}

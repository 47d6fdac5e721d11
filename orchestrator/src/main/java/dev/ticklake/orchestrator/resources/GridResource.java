package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.api.DagRunView;
import dev.ticklake.orchestrator.api.GridView;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the web UI needs: {@code GET /api/v1/dags/{dagId}/grid?limit=}, the grid (runs × tasks) in
 * one read instead of one request per run, and {@code GET /api/v1/runs/{runId}}, one run. Open like
 * the other reads.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class GridResource {

  /** Most runs one grid shows. */
  public static final int MAX_RUNS = 1000;

  private final Scheduler scheduler;
  private final DagRunDao runs;
  private final TaskInstanceDao tasks;
  private final Clock clock;

  public GridResource(Scheduler scheduler, DagRunDao runs, TaskInstanceDao tasks, Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    this.scheduler = Objects.requireNonNull(scheduler);
    this.runs = Objects.requireNonNull(runs);
    this.tasks = Objects.requireNonNull(tasks);
  }

  @GET
  @Path("runs/{runId}")
  public DagRunView run(@PathParam("runId") String runId) {
    return runs.find(runId)
        .map(DagRunView::of)
        .orElseThrow(() -> ApiErrors.notFound("no run '" + runId + "'"));
  }

  @GET
  @Path("dags/{dagId}/grid")
  public GridView grid(@PathParam("dagId") String dagId, @QueryParam("limit") String limitText) {
    int limit = RequestChecks.intParam("limit", limitText, 25, 1, MAX_RUNS);
    DagDefinition dag = RequestChecks.requireDag(scheduler, dagId);
    List<DagRun> newestFirst = runs.list(dagId, limit);
    Map<String, Map<String, GridView.Cell>> cells = new HashMap<>();
    for (TaskInstance t : tasks.listByRuns(newestFirst.stream().map(DagRun::runId).toList())) {
      cells
          .computeIfAbsent(t.runId(), r -> new LinkedHashMap<>())
          .put(t.taskId(), GridView.Cell.of(t));
    }
    List<GridView.Column> columns = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      DagRun r = newestFirst.get(i);
      columns.add(new GridView.Column(DagRunView.of(r), cells.getOrDefault(r.runId(), Map.of())));
    }
    List<String> taskIds = dag.tasks().stream().map(t -> t.taskId()).toList();
    String nextRunAt =
        dag.startDate()
            .flatMap(start -> dag.schedule().nextFireTime(clock.instant(), start))
            .map(Object::toString)
            .orElse(null);
    return new GridView(dagId, nextRunAt, taskIds, columns);
  }
}

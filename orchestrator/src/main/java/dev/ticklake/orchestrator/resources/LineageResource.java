package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.api.LineageGraphView;
import dev.ticklake.orchestrator.api.ProducerView;
import dev.ticklake.orchestrator.api.TryLineageView;
import dev.ticklake.orchestrator.api.TryView;
import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetNaming;
import dev.ticklake.orchestrator.core.lineage.LineageGraph;
import dev.ticklake.orchestrator.db.LineageDao;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Read-only lineage API under {@code /api/v1/lineage} (see docs/lineage.md). A dataset is named by
 * {@code table=<catalog id>} (a table under this service's lake root, e.g. {@code silver/ticks}) or
 * by {@code namespace=<ns>&name=<name>} (any recorded dataset, e.g. a Kafka topic); a job by {@code
 * job=<dag_id>.<task_id>}. Bad parameters answer 400, unknown datasets/jobs/versions 404, always
 * with a JSON body {@code {"code", "message"}}.
 */
@Path("/api/v1/lineage")
@Produces(MediaType.APPLICATION_JSON)
public final class LineageResource {

  /** Largest {@code depth} of a graph query. */
  public static final int MAX_DEPTH = 20;

  private final LineageDao dao;
  private final String lakeRoot;
  private final String jobNamespace;

  public LineageResource(LineageDao dao, String lakeRoot, String jobNamespace) {
    this.dao = Objects.requireNonNull(dao, "dao");
    this.lakeRoot = Objects.requireNonNull(lakeRoot, "lakeRoot");
    this.jobNamespace = Objects.requireNonNull(jobNamespace, "jobNamespace");
  }

  /**
   * The graph upstream and/or downstream of one dataset or job: {@code {root, depth, direction,
   * nodes: [{id, type, namespace, name}], edges: [{from, to}]}}.
   */
  @GET
  @Path("graph")
  public LineageGraphView graph(
      @QueryParam("table") String table,
      @QueryParam("namespace") String namespace,
      @QueryParam("name") String name,
      @QueryParam("job") String job,
      @QueryParam("depth") String depthText,
      @QueryParam("direction") String directionText) {
    int depth = RequestChecks.intParam("depth", depthText, 3, 1, MAX_DEPTH);
    LineageGraph.Direction direction = direction(directionText);
    boolean datasetGiven = table != null || namespace != null || name != null;
    if (datasetGiven == (job != null)) {
      throw ApiErrors.badRequest(
          "name exactly one root: a dataset (table=silver/ticks, or namespace=...&name=...) or a"
              + " job (job=<dag_id>.<task_id>)");
    }
    LineageGraph graph = new LineageGraph(jobNamespace, dao.edges());
    String rootId;
    if (job != null) {
      int dot = job.indexOf('.');
      if (dot <= 0 || dot == job.length() - 1) {
        throw ApiErrors.badRequest("job must be <dag_id>.<task_id>, e.g. medallion.build_gold");
      }
      rootId = "job:" + jobNamespace + "|" + job;
      if (!graph.contains(rootId)) {
        throw ApiErrors.notFound("no lineage recorded for job '" + job + "'");
      }
    } else {
      Dataset d = dataset(table, namespace, name);
      rootId = LineageGraph.datasetId(d);
      if (!graph.contains(rootId)) {
        throw ApiErrors.notFound("no lineage recorded for dataset " + d);
      }
    }
    LineageGraph.Graph g = graph.around(rootId, depth, direction);
    return new LineageGraphView(
        g.root(), depth, direction.name().toLowerCase(Locale.ROOT), g.nodes(), g.edges());
  }

  /**
   * Which try produced {@code version} of a table: {@code {dagId, runId, taskId, tryNumber, job,
   * olRunId, outcome, recordedAt, dataset, version}}; 404 when no recorded try wrote it.
   */
  @GET
  @Path("producer")
  public ProducerView producer(
      @QueryParam("table") String table,
      @QueryParam("namespace") String namespace,
      @QueryParam("name") String name,
      @QueryParam("version") String versionText) {
    if (versionText == null || versionText.isBlank()) {
      throw ApiErrors.badRequest("version is required, e.g. version=12");
    }
    long version = RequestChecks.longParam("version", versionText);
    Dataset d = dataset(table, namespace, name);
    LineageDao.TryRecord r =
        dao.producer(d, Long.toString(version))
            .orElseThrow(
                () ->
                    ApiErrors.notFound(
                        "no recorded task run wrote version " + version + " of " + d));
    return new ProducerView(TryView.of(r, jobNamespace), d, Long.toString(version));
  }

  /** The recorded lineage of the tries of a DAG run (optionally one task): a list of tries. */
  @GET
  @Path("runs/{runId}")
  public List<TryLineageView> run(
      @PathParam("runId") String runId, @QueryParam("taskId") String taskId) {
    List<TryLineageView> out = new ArrayList<>();
    for (LineageDao.TryRecord r : dao.listByRun(runId, Optional.ofNullable(taskId))) {
      out.add(
          new TryLineageView(
              TryView.of(r, jobNamespace),
              TryLineageView.versions(r.lineage().inputs()),
              TryLineageView.versions(r.lineage().outputs())));
    }
    if (out.isEmpty()) {
      throw ApiErrors.notFound(
          "no lineage recorded for run '"
              + runId
              + "'"
              + (taskId == null ? "" : " task " + taskId));
    }
    return out;
  }

  private Dataset dataset(String table, String namespace, String name) {
    if (table != null) {
      if (namespace != null || name != null) {
        throw ApiErrors.badRequest("give either table or namespace+name, not both");
      }
      return RequestChecks.orBadRequest(() -> DatasetNaming.table(lakeRoot, table));
    }
    if (namespace == null || name == null || namespace.isBlank() || name.isBlank()) {
      throw ApiErrors.badRequest(
          "name a dataset with table=<catalog id> (e.g. silver/ticks) or with both namespace and"
              + " name (e.g. namespace=kafka://127.0.0.1:9092&name=market.ticks)");
    }
    return new Dataset(namespace, name);
  }

  private static LineageGraph.Direction direction(String text) {
    if (text == null || text.isBlank()) {
      return LineageGraph.Direction.BOTH;
    }
    String name = text.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(LineageGraph.Direction.values())
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                ApiErrors.badRequest(
                    "direction must be upstream, downstream or both, got '" + text + "'"));
  }
}

package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.serving.CommitHistory;
import dev.ticklake.orchestrator.serving.GrafanaMetrics;
import dev.ticklake.orchestrator.serving.MarketData;
import dev.ticklake.orchestrator.serving.PipelineStats;
import dev.ticklake.orchestrator.serving.RowSet;
import dev.ticklake.orchestrator.serving.ServingRequestException;
import dev.ticklake.orchestrator.serving.TableQuery;
import dev.ticklake.schemas.catalog.TableCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline's runs, task tries, commits, data-quality counts and quarantine as flat JSON rows
 * (for Grafana's Infinity datasource), under {@code /api/v1/pipeline}: {@code /runs}, {@code
 * /tasks} ({@code dag}: comma-separated or repeated, all when absent), {@code /commits} ({@code
 * table}: a catalog id, default {@code gold/bars_1m}), {@code /quality} ({@code table}: the table
 * whose expectations, default {@code silver/ticks}), {@code /quarantine}. {@code from}/{@code to}
 * as for {@code /api/v1/market}. Same read layer and limits as {@code /grafana}; 400 for a bad
 * parameter.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class PipelineRowsResource {

  private final MarketData market;
  private final PipelineStats pipeline;
  private final CommitHistory commits;
  private final Clock clock;

  public PipelineRowsResource(
      MarketData market, PipelineStats pipeline, CommitHistory commits, Clock clock) {
    this.market = market;
    this.pipeline = pipeline;
    this.commits = commits;
    this.clock = clock;
  }

  @GET
  @Path("pipeline/runs")
  public List<Map<String, Object>> runs(
      @QueryParam("dag") List<String> dag,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = RangeParams.parse(from, to, clock, market);
    return MarketResource.rows(pipeline.runs(r.from(), r.to(), dags(dag)));
  }

  @GET
  @Path("pipeline/tasks")
  public List<Map<String, Object>> tasks(
      @QueryParam("dag") List<String> dag,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = RangeParams.parse(from, to, clock, market);
    return MarketResource.rows(pipeline.tasks(r.from(), r.to(), dags(dag)));
  }

  @GET
  @Path("pipeline/commits")
  public List<Map<String, Object>> commits(
      @QueryParam("table") String table,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = RangeParams.parse(from, to, clock, market);
    String id = table == null || table.isBlank() ? TableCatalog.GOLD_BARS_1M.id() : table.trim();
    String timeColumn = GrafanaMetrics.HOP_TABLES.get(id);
    if (timeColumn == null) {
      throw ServingRequestException.badRequest(
          "unknown table '"
              + id
              + "' for commits; accepted: "
              + GrafanaMetrics.HOP_TABLES.keySet());
    }
    return MarketResource.rows(commits.commits(id, timeColumn, r.from(), r.to()));
  }

  @GET
  @Path("pipeline/quality")
  public List<Map<String, Object>> quality(
      @QueryParam("table") String table,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = RangeParams.parse(from, to, clock, market);
    String id = table == null || table.isBlank() ? TableCatalog.SILVER_TICKS.id() : table.trim();
    if (TableCatalog.all().stream()
        .noneMatch(t -> t.id().equals(id) && !t.expectations().isEmpty())) {
      throw ServingRequestException.badRequest(
          "unknown table '" + id + "' for quality; tables with expectations: silver/ticks");
    }
    RowSet rows = market.lake().read(range(TableCatalog.SILVER_DQ_METRICS.id(), r));
    int at = rows.indexOf("table_id");
    List<Object[]> kept = new ArrayList<>();
    for (Object[] row : rows.rows()) {
      if (id.equals(row[at])) {
        kept.add(row);
      }
    }
    return MarketResource.rows(new RowSet(rows.version(), rows.columns(), kept));
  }

  @GET
  @Path("pipeline/quarantine")
  public List<Map<String, Object>> quarantine(
      @QueryParam("from") String from, @QueryParam("to") String to) {
    RangeParams.Range r = RangeParams.parse(from, to, clock, market);
    return MarketResource.rows(market.lake().read(range(TableCatalog.SILVER_QUARANTINE.id(), r)));
  }

  private static TableQuery range(String table, RangeParams.Range r) {
    return new TableQuery(table, Set.of(), Optional.of(r.from()), Optional.of(r.to()), List.of());
  }

  private Set<String> dags(List<String> params) {
    List<String> asked = new ArrayList<>();
    for (String p : params) {
      for (String d : p.split(",")) {
        if (!d.isBlank()) {
          asked.add(d.trim());
        }
      }
    }
    return pipeline.requireDags(asked);
  }
}

package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetNaming;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.pipelines.maintenance.CompactTablesJob;
import dev.ticklake.pipelines.maintenance.VacuumTablesJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table maintenance pipelines, registered through the {@link PipelineProvider} SPI: {@code
 * compact-tables} ({@link CompactTablesJob}) and {@code vacuum-tables} ({@link VacuumTablesJob});
 * the shipped {@code maintenance} DAG runs them daily, in that order.
 *
 * <p>Statuses: {@code COMMITTED} when a compaction committed to at least one table, {@code
 * NOTHING_NEW} when no table needed it; {@code VACUUMED}, {@code DRY_RUN}, or {@code NOTHING_NEW}
 * when vacuum found no file to delete. Lineage: each compaction commit is recorded as the table
 * read at the version compacted and written at the compaction's version (a {@code dataChange=false}
 * commit: same rows); vacuum commits nothing and records no lineage.
 */
public final class MaintenancePipelines implements PipelineProvider {

  @Override
  public void registerInto(Pipelines pipelines) {
    pipelines.register("compact-tables", MaintenancePipelines::compact);
    pipelines.register("vacuum-tables", MaintenancePipelines::vacuum);
  }

  private static PipelineOutcome compact(Map<String, String> options, RunContext ctx)
      throws Exception {
    CompactTablesJob.Options o =
        Pipelines.options(CompactTablesJob.Options.class, options, ctx, false);
    CompactTablesJob.Result r = CompactTablesJob.run(o);
    List<DatasetVersion> read = new ArrayList<>();
    List<DatasetVersion> written = new ArrayList<>();
    for (CompactTablesJob.TableCompaction t : r.tables()) {
      if (t.committed()) {
        Dataset table = DatasetNaming.table(o.getLakeRoot(), t.table());
        read.add(DatasetVersion.snapshot(table, t.readVersion()));
        written.add(DatasetVersion.snapshot(table, t.result().version()));
      }
    }
    return outcome(
        r.committedAny() ? "COMMITTED" : "NOTHING_NEW",
        r.toString(),
        new TaskLineage(read, written));
  }

  private static PipelineOutcome vacuum(Map<String, String> options, RunContext ctx)
      throws Exception {
    VacuumTablesJob.Options o =
        Pipelines.options(VacuumTablesJob.Options.class, options, ctx, false);
    VacuumTablesJob.Result r = VacuumTablesJob.run(o);
    String status = r.filesDeleted() == 0 ? "NOTHING_NEW" : r.dryRun() ? "DRY_RUN" : "VACUUMED";
    return outcome(status, r.toString(), TaskLineage.NONE);
  }

  private static PipelineOutcome outcome(String status, String report, TaskLineage lineage) {
    return new PipelineOutcome(
        status, Pipelines.oneLine(report), Map.of(PipelineOutcome.DETAIL, report), lineage);
  }
}

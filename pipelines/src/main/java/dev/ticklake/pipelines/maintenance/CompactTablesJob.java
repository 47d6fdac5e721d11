package dev.ticklake.pipelines.maintenance;

import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaMaintenance;
import dev.ticklake.transforms.delta.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Compaction of every table of the catalog (or of {@code --tables}): per partition, files smaller
 * than {@code --targetFileBytes} are rewritten into files of about that size, one commit per table
 * with {@code dataChange=false} ({@link DeltaMaintenance#compact}). Readers see identical rows;
 * incremental readers do not see the rewritten rows again; the replaced files stay on storage until
 * {@link VacuumTablesJob} removes them past its retention, so older versions stay readable.
 *
 * <p>Idempotent: a table with nothing to compact is left untouched (no commit). A concurrent commit
 * that removed a file being compacted fails the job with {@code DeltaConflictException} (nothing
 * committed for that table; run again).
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.maintenance.CompactTablesJob --lakeRoot=./lake
 * </pre>
 */
public final class CompactTablesJob {
  /** Default target file size: 128 MiB, the usual Parquet file size for Delta tables. */
  public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;

  private CompactTablesJob() {}

  /** Options of the compaction job. */
  public interface Options extends MaintenanceOptions {
    @Description("Files smaller than this (bytes) are compacted into files of about this size")
    @Default.Long(DEFAULT_TARGET_FILE_BYTES)
    Long getTargetFileBytes();

    void setTargetFileBytes(Long value);
  }

  /**
   * One table's compaction.
   *
   * @param readVersion the version compacted (the table's latest when the job looked)
   * @param result what was rewritten; {@code result.version()} is -1 when nothing was
   */
  public record TableCompaction(
      String table, String location, long readVersion, DeltaMaintenance.CompactionResult result) {
    public boolean committed() {
      return result.version() >= 0;
    }
  }

  /** What the job did, table by table, in catalog order. */
  public record Result(List<TableCompaction> tables) {
    public boolean committedAny() {
      return tables.stream().anyMatch(TableCompaction::committed);
    }

    @Override
    public String toString() {
      long compacted = tables.stream().filter(TableCompaction::committed).count();
      StringBuilder s =
          new StringBuilder(
              "compacted "
                  + compacted
                  + " of "
                  + tables.size()
                  + " tables (nothing to do in the rest)");
      for (TableCompaction t : tables) {
        DeltaMaintenance.CompactionResult r = t.result();
        s.append('\n').append(t.table()).append(": ");
        s.append(
            t.committed()
                ? r.filesRemoved()
                    + " files -> "
                    + r.filesAdded()
                    + " ("
                    + r.rows()
                    + " rows), version "
                    + t.readVersion()
                    + " -> "
                    + r.version()
                : "nothing to compact at version " + t.readVersion());
      }
      return s.toString();
    }
  }

  public static void main(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    System.out.println(run(options));
  }

  public static Result run(Options options) throws IOException {
    long target = options.getTargetFileBytes();
    if (target < 1) {
      throw new IllegalArgumentException(
          "--targetFileBytes must be at least 1 (got "
              + target
              + "); the default is "
              + DEFAULT_TARGET_FILE_BYTES);
    }
    List<TableCompaction> done = new ArrayList<>();
    for (TableDef t : MaintenanceOptions.existingTables(options)) {
      String location = t.location(options.getLakeRoot());
      long readVersion = DeltaTable.at(location).latestVersion();
      done.add(
          new TableCompaction(
              t.id(), location, readVersion, DeltaMaintenance.of(location).compact(target)));
    }
    return new Result(done);
  }
}

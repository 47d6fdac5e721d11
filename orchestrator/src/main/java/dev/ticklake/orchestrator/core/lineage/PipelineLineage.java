package dev.ticklake.orchestrator.core.lineage;

import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.IngestBronzeJob;
import dev.ticklake.pipelines.RefineSilverJob;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.gold.GoldBatch;
import dev.ticklake.transforms.kafka.KafkaOffsetRange;
import java.util.ArrayList;
import java.util.List;

/**
 * What the TickLake jobs read and wrote, from their results: the lineage each try records.
 *
 * <p>Outputs are the tables a batch COMMITTED, at the committed version; a table whose commit was
 * skipped (already committed by an earlier try) or empty is not an output of this try. Inputs are
 * what the batch read, also when it wrote nothing.
 */
public final class PipelineLineage {
  private PipelineLineage() {}

  /** Kafka partitions {@code [from, to)} in, {@code bronze/ticks} out. */
  public static TaskLineage of(
      IngestBronzeJob.Result r, String lakeRoot, String bootstrapServers, String topic) {
    Dataset kafka = DatasetNaming.kafkaTopic(bootstrapServers, topic);
    List<DatasetVersion> in = new ArrayList<>();
    for (KafkaOffsetRange range : r.ranges()) {
      in.add(
          DatasetVersion.kafkaOffsets(
              DatasetNaming.kafkaTopic(bootstrapServers, range.topic()),
              range.partition(),
              range.fromInclusive(),
              range.toExclusive()));
    }
    if (in.isEmpty()) {
      in.add(new DatasetVersion(kafka, DatasetVersion.NOTHING_NEW));
    }
    return new TaskLineage(in, committed(lakeRoot, r.commit()));
  }

  /** {@code bronze/ticks} versions in; Silver, quarantine and dq_metrics out. */
  public static TaskLineage of(RefineSilverJob.Result r, String lakeRoot) {
    Dataset bronze = DatasetNaming.table(lakeRoot, TableCatalog.BRONZE_TICKS.id());
    DatasetVersion in =
        r.status() == BatchStatus.NOTHING_NEW
            ? new DatasetVersion(bronze, "(" + r.bronzeVersion() + "," + r.bronzeVersion() + "]")
            : DatasetVersion.changes(bronze, r.batch().fromExclusive(), r.batch().toInclusive());
    List<DatasetVersion> out = new ArrayList<>();
    out.addAll(committed(lakeRoot, r.silver()));
    out.addAll(committed(lakeRoot, r.quarantine()));
    out.addAll(committed(lakeRoot, r.dqMetrics()));
    return new TaskLineage(List.of(in), out);
  }

  /**
   * {@code silver/ticks} versions (and the stored bars and saved folds the batch read) in; the Gold
   * tables out.
   */
  public static TaskLineage of(BuildGoldJob.Result r, String lakeRoot) {
    Dataset silver = DatasetNaming.table(lakeRoot, TableCatalog.SILVER_TICKS.id());
    List<DatasetVersion> in = new ArrayList<>();
    if (r.status() == BatchStatus.NOTHING_NEW) {
      in.add(new DatasetVersion(silver, "(" + r.silverVersion() + "," + r.silverVersion() + "]"));
    } else {
      in.add(DatasetVersion.changes(silver, r.silverFromExclusive(), r.silverVersion()));
      history(in, lakeRoot, TableCatalog.GOLD_BARS_1M, r.minuteBarsVersion());
      history(in, lakeRoot, TableCatalog.GOLD_BARS_1D, r.dailyBarsVersion());
      history(in, lakeRoot, TableCatalog.GOLD_BAR_STATE, r.barStateVersion());
    }
    List<DatasetVersion> out = new ArrayList<>();
    r.commits().forEach(c -> out.addAll(committed(lakeRoot, c)));
    return new TaskLineage(in, out);
  }

  /** The datasets a pipeline reads and writes, without versions: for START and FAIL events. */
  public static Declared declared(
      String pipeline, String lakeRoot, String bootstrapServers, String topic) {
    return switch (pipeline) {
      case "ingest-bronze" ->
          new Declared(
              List.of(DatasetNaming.kafkaTopic(bootstrapServers, topic)),
              tables(lakeRoot, List.of(TableCatalog.BRONZE_TICKS)));
      case "refine-silver" ->
          new Declared(
              tables(lakeRoot, List.of(TableCatalog.BRONZE_TICKS)),
              tables(
                  lakeRoot,
                  List.of(
                      TableCatalog.SILVER_TICKS,
                      TableCatalog.SILVER_QUARANTINE,
                      TableCatalog.SILVER_DQ_METRICS)));
      case "build-gold" ->
          new Declared(
              tables(lakeRoot, List.of(TableCatalog.SILVER_TICKS)),
              tables(lakeRoot, GoldBatch.TABLES));
      default -> Declared.NONE;
    };
  }

  /** Datasets a pipeline declares it reads and writes. */
  public record Declared(List<Dataset> inputs, List<Dataset> outputs) {
    public static final Declared NONE = new Declared(List.of(), List.of());

    public Declared {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  private static List<Dataset> tables(String lakeRoot, List<TableDef> tables) {
    return tables.stream().map(t -> DatasetNaming.table(lakeRoot, t.id())).toList();
  }

  private static void history(List<DatasetVersion> in, String lakeRoot, TableDef t, long version) {
    if (version >= 0) {
      in.add(DatasetVersion.snapshot(DatasetNaming.table(lakeRoot, t.id()), version));
    }
  }

  private static List<DatasetVersion> committed(String lakeRoot, CommitReport report) {
    if (report == null || report.status() != CommitOutcome.Status.COMMITTED) {
      return List.of();
    }
    return List.of(
        DatasetVersion.snapshot(
            DatasetNaming.table(lakeRoot, report.table()), report.tableVersion()));
  }
}

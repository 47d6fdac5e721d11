package dev.ticklake.pipelines;

import dev.ticklake.pipelines.planning.BronzeBatchPlanner;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.bronze.ToBronzeRows;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.kafka.KafkaOffsetRange;
import dev.ticklake.transforms.kafka.ReadKafkaOffsetRanges;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Kafka → {@code bronze/ticks}, one exactly-once micro-batch: reads each partition's offset range
 * from the position stored in Bronze (see {@link BronzeBatchPlanner}) and commits the raw records
 * with the new positions in one Delta commit. A batch with nothing new commits nothing.
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.IngestBronzeJob --lakeRoot=./lake --bootstrapServers=127.0.0.1:9092
 * </pre>
 */
public final class IngestBronzeJob {
  private IngestBronzeJob() {}

  /** Options of the Bronze ingest job. */
  public interface Options extends TickLakeOptions {
    @Description("Kafka bootstrap servers")
    @Default.String("127.0.0.1:9092")
    @Validation.Required
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("Kafka topic of market events")
    @Default.String("market.ticks")
    String getTopic();

    void setTopic(String value);

    @Description("Most records one batch reads, over all partitions")
    @Default.Long(1_000_000L)
    Long getMaxRecordsPerBatch();

    void setMaxRecordsPerBatch(Long value);

    @Description("Extra Kafka consumer properties, key=value (security, fetch tuning)")
    @Default.InstanceFactory(TickLakeOptions.EmptyList.class)
    List<String> getKafkaProperty();

    void setKafkaProperty(List<String> value);
  }

  /** What a batch did. */
  public record Result(BatchStatus status, List<KafkaOffsetRange> ranges, CommitReport commit) {
    long rows() {
      return commit == null ? 0 : commit.rowsCommitted();
    }

    @Override
    public String toString() {
      return status == BatchStatus.NOTHING_NEW
          ? "bronze/ticks: nothing new in Kafka; nothing committed"
          : commit + " from " + ranges;
    }
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineRuns.runMain(() -> run(options));
  }

  /** Runs one batch and waits for it. */
  public static Result run(Options options) {
    PipelineRuns.useHadoopSettings(options);
    String bronze = TableCatalog.BRONZE_TICKS.location(options.getLakeRoot());
    Map<String, Object> consumer =
        KafkaClientConfig.consumer(options.getBootstrapServers(), options.getKafkaProperty());
    List<KafkaOffsetRange> ranges =
        BronzeBatchPlanner.plan(
            DeltaTable.at(bronze), options.getTopic(), consumer, options.getMaxRecordsPerBatch());
    if (ranges.isEmpty()) {
      return new Result(BatchStatus.NOTHING_NEW, ranges, null);
    }
    Map<String, Long> positions = new LinkedHashMap<>();
    for (KafkaOffsetRange r : ranges) {
      positions.put(BronzeBatchPlanner.appId(r.topic(), r.partition()), r.toExclusive());
    }

    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply("ReadKafka", ReadKafkaOffsetRanges.of(ranges, consumer))
        .apply("ToBronzeRows", ToBronzeRows.at(Instant.now()))
        .apply(
            "WriteBronze",
            DeltaIO.write()
                .to(CatalogTables.spec(TableCatalog.BRONZE_TICKS, options.getLakeRoot()))
                .withTransactions(positions)
                .withCommitInfo(PipelineRuns.commitInfo(options, "ingest-bronze")));
    PipelineResult result = PipelineRuns.runAndWait(p);
    CommitReport report = CommitReport.of(result, TableCatalog.BRONZE_TICKS.id());
    return new Result(BatchStatus.of(report), ranges, report);
  }
}

package dev.ticklake.pipelines;

import dev.ticklake.pipelines.planning.SilverBatchPlanner;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.silver.ExpectationFailedException;
import dev.ticklake.transforms.silver.RefineSilver;
import dev.ticklake.transforms.silver.SilverBatch;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bronze/ticks} → {@code silver/ticks} (+ {@code silver/quarantine}, {@code
 * silver/dq_metrics}), one exactly-once micro-batch of {@link RefineSilver}. The batch's Bronze
 * version range comes from {@link SilverBatchPlanner}; when Bronze has not moved, no pipeline runs
 * ({@link BatchStatus#NOTHING_NEW}). A batch interrupted between its commits is completed by the
 * next run.
 *
 * <pre>
 * java -cp ... dev.ticklake.pipelines.RefineSilverJob --lakeRoot=./lake \
 *     --expectationAction=positive_prices=fail,ts_not_in_future=warn
 * </pre>
 *
 * <p>A row failing a {@code fail} expectation makes {@link #run} throw {@link
 * ExpectationFailedException} (not retryable) with nothing committed.
 */
public final class RefineSilverJob {

  private RefineSilverJob() {}

  /** Options of the Silver job. */
  public interface Options extends TickLakeOptions {
    @Description(
        "Override an expectation's action: name=warn|drop|fail (repeat the option or"
            + " comma-separate), e.g. positive_prices=fail")
    @Default.InstanceFactory(TickLakeOptions.EmptyList.class)
    List<String> getExpectationAction();

    void setExpectationAction(List<String> value);

    @Description(
        "Start time of a new batch, ISO-8601 (the value of now() in expectation rules); default:"
            + " the clock. For reproducible runs and tests")
    @Default.String("")
    String getBatchStartedAt();

    void setBatchStartedAt(String value);
  }

  /**
   * What a batch did. Counts are rows: {@code bronzeRows} read, {@code quarantinedRows} (parse +
   * drop), {@code duplicateRows} within the batch, {@code silverRowsWritten} new in Silver (keys it
   * already held are left out), {@code failedByExpectation} per expectation (and {@code parse}).
   * For {@link BatchStatus#NOTHING_NEW}, {@code batch} and the reports are null and counts zero.
   * {@code bronzeVersion} is the Bronze version the batch refined up to, or for NOTHING_NEW the one
   * Silver had already refined (-1: none); lineage records it as what the batch read.
   */
  public record Result(
      BatchStatus status,
      long bronzeVersion,
      SilverBatch batch,
      CommitReport silver,
      CommitReport quarantine,
      CommitReport dqMetrics,
      long bronzeRows,
      long quarantinedRows,
      long duplicateRows,
      long silverRowsWritten,
      Map<String, Long> failedByExpectation) {

    static Result nothingNew(long bronzeVersion) {
      return new Result(
          BatchStatus.NOTHING_NEW, bronzeVersion, null, null, null, null, 0, 0, 0, 0, Map.of());
    }

    @Override
    public String toString() {
      if (status == BatchStatus.NOTHING_NEW) {
        return "silver/ticks: bronze/ticks has nothing new; nothing committed";
      }
      return String.format(
          "silver/ticks batch %s: %s; %d bronze rows, %d new in silver, %d duplicates in batch,"
              + " %d quarantined; failed by expectation %s%n  %s%n  %s%n  %s",
          batch.batchId(),
          status,
          bronzeRows,
          silverRowsWritten,
          duplicateRows,
          quarantinedRows,
          failedByExpectation,
          quarantine,
          dqMetrics,
          silver);
    }
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineRuns.runMain(() -> run(options));
  }

  /**
   * Runs one batch and waits for it.
   *
   * @throws ExpectationFailedException if a row failed a {@code fail} expectation; nothing is
   *     committed
   * @throws IllegalArgumentException for a bad option or an expectation rule that does not compile
   */
  public static Result run(Options options) {
    PipelineRuns.useHadoopSettings(options);
    Map<String, ExpectationAction> actions = parseActions(options.getExpectationAction());
    Instant now = startTime(options.getBatchStartedAt());
    String lakeRoot = options.getLakeRoot();
    Optional<SilverBatch> planned =
        SilverBatchPlanner.plan(lakeRoot, Map.of(), options.getRunId(), now);
    if (planned.isEmpty()) {
      return Result.nothingNew(
          DeltaTable.at(TableCatalog.SILVER_TICKS.location(lakeRoot))
              .txnVersion(RefineSilver.SILVER_APP_ID));
    }
    SilverBatch batch = planned.get();
    RefineSilver refine =
        RefineSilver.of(lakeRoot, batch)
            .withExpectationActions(actions)
            .withCommitInfo(PipelineRuns.commitInfo(options, "refine-silver"))
            .withRowsPerBucket(rowsPerBucket(options))
            .withBucketKeys(PipelineRuns.bucketKeys(options));

    Pipeline p = Pipeline.create(PipelineRuns.tune(options));
    p.apply("RefineSilver", refine);
    PipelineResult result;
    try {
      result = PipelineRuns.runAndWait(p);
    } catch (RuntimeException e) {
      throw expectationFailureIn(e).orElseThrow(() -> e);
    }
    CommitReport silver = CommitReport.of(result, TableCatalog.SILVER_TICKS.id());
    long valid = counter(result, "validRows");
    long unique = counter(result, "uniqueRows");
    Map<String, Long> failed = new LinkedHashMap<>();
    failed.put(RefineSilver.PARSE_EXPECTATION, counter(result, "expectation.parse.failed"));
    refine
        .expectations()
        .forEach(e -> failed.put(e.name(), counter(result, "expectation." + e.name() + ".failed")));
    return new Result(
        BatchStatus.of(silver),
        batch.toInclusive(),
        batch,
        silver,
        CommitReport.of(result, TableCatalog.SILVER_QUARANTINE.id()),
        CommitReport.of(result, TableCatalog.SILVER_DQ_METRICS.id()),
        counter(result, "bronzeRows"),
        counter(result, "quarantinedRows"),
        valid - unique,
        silver.rowsCommitted(),
        failed);
  }

  /**
   * Small buckets on Flink, whose batch shuffle hashes the few bucket keys onto its workers (few
   * big buckets leave one worker with most of them), and where a worker's buckets share files; the
   * default elsewhere: the DirectRunner balances buckets over its threads as they come, but writes
   * each bucket's rows to files of their own, and more Silver files make the next Gold batch slower
   * there.
   */
  static long rowsPerBucket(PipelineOptions options) {
    return options.getRunner() == FlinkRunner.class
        ? RefineSilver.ROWS_PER_BUCKET_HASHED_WORKERS
        : RefineSilver.ROWS_PER_BUCKET;
  }

  /** {@code name=action} pairs; the names are checked against the table by {@link RefineSilver}. */
  static Map<String, ExpectationAction> parseActions(List<String> pairs) {
    Map<String, ExpectationAction> actions = new LinkedHashMap<>();
    for (String pair : pairs) {
      for (String item : pair.split(",")) {
        if (item.isBlank()) {
          continue;
        }
        int eq = item.indexOf('=');
        String action = eq < 0 ? "" : item.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
        if (eq <= 0 || !List.of("WARN", "DROP", "FAIL").contains(action)) {
          throw new IllegalArgumentException(
              "--expectationAction '"
                  + item
                  + "' must be <expectation>=<warn|drop|fail>, e.g. positive_prices=fail");
        }
        actions.put(item.substring(0, eq).trim(), ExpectationAction.valueOf(action));
      }
    }
    return actions;
  }

  private static Instant startTime(String option) {
    if (option == null || option.isBlank()) {
      return Instant.now();
    }
    try {
      return Instant.parse(option);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--batchStartedAt '"
              + option
              + "' is not an ISO-8601 instant, e.g. 2026-11-20T14:30:00Z");
    }
  }

  /**
   * The runner wraps exceptions thrown in a DoFn (and some runners serialise them); finds ours in
   * the cause chain so that callers see the non-retryable type.
   */
  static Optional<ExpectationFailedException> expectationFailureIn(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ExpectationFailedException failure) {
        return Optional.of(failure);
      }
      String text = String.valueOf(t);
      String prefix = ExpectationFailedException.class.getName() + ": ";
      if (text.startsWith(prefix)) {
        String message = text.substring(prefix.length());
        String name = message.replaceFirst("(?s)^Expectation '([^']*)'.*", "$1");
        return Optional.of(new ExpectationFailedException(name, message));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  private static long counter(PipelineResult result, String name) {
    return counter(result, RefineSilver.METRICS, name);
  }

  private static long counter(PipelineResult result, String namespace, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      try {
        sum += c.getCommitted();
      } catch (UnsupportedOperationException e) {
        sum += c.getAttempted();
      }
    }
    return sum;
  }
}

package dev.ticklake.benchmarks.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.pipelines.PipelineRuns;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * One runner's half of the benchmark: a timed DeltaIO write of the synthetic rows to a fresh {@code
 * silver/ticks} table (append; the time covers the whole pipeline run, commit included), and a
 * timed DeltaIO read of that table counted by a DoFn. Both are verified against the Delta log and
 * fail loudly on any difference.
 */
final class RunnerBench {
  static final TableDef TABLE = TableCatalog.SILVER_TICKS;
  private static final String METRICS_NAMESPACE = "bench";
  private static final String ROWS_COUNTED = "rowsCounted";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunnerBench() {}

  /** A write: the rows written, the seconds the pipeline took, and what the log says. */
  record WriteRun(long rows, double seconds, long tableVersion, long dataFiles, long rowsInLog) {}

  /** A read: the rows the counting DoFn saw and the seconds the pipeline took. */
  record ReadRun(long rows, double seconds) {}

  /**
   * Options for a runner, tuned as production would run a batch (see the comments).
   *
   * @param runner {@code direct} or {@code flink} (an embedded Flink, {@code [local]})
   * @param parallelism workers: the DirectRunner's threads, Flink's task slots
   */
  static PipelineOptions options(String runner, int parallelism) {
    switch (runner.toLowerCase(Locale.ROOT)) {
      case "direct" -> {
        DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
        o.setRunner(DirectRunner.class);
        o.setTargetParallelism(parallelism);
        o.setBlockOnRun(true);
        // Both checks encode every element after every step (and compare the encodings) to catch
        // DoFns that mutate their input or emit unencodable values: test-time safety nets that
        // no production runner has. Left on, they measure AvroCoder, not DeltaIO.
        o.setEnforceImmutability(false);
        o.setEnforceEncodability(false);
        return o;
      }
      case "flink" -> {
        FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
        o.setRunner(FlinkRunner.class);
        o.setFlinkMaster("[local]");
        o.setParallelism(parallelism);
        o.setStreaming(false);
        // Without object reuse Flink deep-copies every element between chained operators by
        // encoding and decoding it with its coder. Beam forbids DoFns to mutate their input or
        // output once emitted, so the copies protect nothing; Beam's own guidance for Flink batch
        // is to turn reuse on.
        o.setObjectReuse(true);
        return PipelineRuns.tune(o);
      }
      case "flink-cluster" -> {
        FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
        o.setRunner(FlinkRunner.class);
        FlinkClusterTarget.configure(o, parallelism);
        return o;
      }
      default ->
          throw new IllegalArgumentException(
              "Unknown runner '" + runner + "': use direct or flink (e.g. --runners=direct,flink)");
    }
  }

  /** Writes the generated rows to a new table under {@code lakeRoot}, timed and verified. */
  static WriteRun write(
      String runner, int parallelism, String lakeRoot, SyntheticTicks.GenerateTicks rows) {
    long n = rows.rows();
    String location = TABLE.location(lakeRoot);
    if (DeltaTable.at(location).exists()) {
      throw new IllegalStateException(
          "The benchmark needs a fresh table; found one at " + location);
    }
    long start = System.nanoTime();
    Pipeline p = Pipeline.create(options(runner, parallelism));
    p.apply("GenerateTicks", rows)
        .apply(
            "WriteSilverTicks",
            DeltaIO.write().to(CatalogTables.spec(TABLE, lakeRoot)).withMode(WriteMode.APPEND));
    p.run().waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;

    DeltaTable table = DeltaTable.at(location);
    long version = table.latestVersion();
    List<AddFile> files = table.filesAt(-1);
    long rowsInLog = 0;
    for (AddFile f : files) {
      rowsInLog += numRecords(f);
    }
    if (version != 0 || rowsInLog != n) {
      throw new IllegalStateException(
          String.format(
              "%s write to %s is wrong: expected one commit (version 0) with %d rows, the log has"
                  + " version %d with %d rows in %d files",
              runner, location, n, version, rowsInLog, files.size()));
    }
    return new WriteRun(n, seconds, version, files.size(), rowsInLog);
  }

  /**
   * Reads the whole table under {@code lakeRoot}, counting rows; fails unless it finds {@code n}.
   */
  static ReadRun read(String runner, int parallelism, String lakeRoot, long n) {
    long start = System.nanoTime();
    PipelineOptions readOptions = options(runner, parallelism);
    Pipeline p = Pipeline.create(readOptions);
    p.apply(
            "ReadSilverTicks",
            DeltaIO.read()
                .from(CatalogTables.spec(TABLE, lakeRoot))
                .distributingFilesWith(PipelineRuns.bucketKeys(readOptions)))
        .apply("CountRows", ParDo.of(new CountRowsFn()));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;

    long counted = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(METRICS_NAMESPACE, ROWS_COUNTED))
                    .build())
            .getCounters()) {
      counted += c.getAttempted();
    }
    if (counted != n) {
      throw new IllegalStateException(
          String.format(
              "%s read of %s is wrong: the table holds %d rows, the read counted %d",
              runner, TABLE.location(lakeRoot), n, counted));
    }
    return new ReadRun(counted, seconds);
  }

  static long numRecords(AddFile f) {
    try {
      JsonNode stats = JSON.readTree(f.getStats());
      JsonNode n = stats == null ? null : stats.get("numRecords");
      if (n == null) {
        throw new IllegalStateException("No numRecords in the stats of " + f.getPath());
      }
      return n.asLong();
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable stats of " + f.getPath(), e);
    }
  }

  /** The benchmark's sink: counts rows in a local and adds them to a Beam counter per bundle. */
  private static final class CountRowsFn extends DoFn<GenericRecord, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter rows = Metrics.counter(METRICS_NAMESPACE, ROWS_COUNTED);
    private transient long inBundle;

    @StartBundle
    public void startBundle() {
      inBundle = 0;
    }

    @ProcessElement
    public void process(@Element GenericRecord row) {
      inBundle++;
    }

    @FinishBundle
    public void finishBundle() {
      rows.inc(inBundle);
    }
  }
}

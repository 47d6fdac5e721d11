package dev.ticklake.benchmarks.pipelines;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.IngestBronzeJob;
import dev.ticklake.pipelines.LocalFlinkCluster;
import dev.ticklake.pipelines.RefineSilverJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.LoggerFactory;

/**
 * The child process of the {@code history} suite: runs the real jobs' {@code run} methods on one
 * lake and prints one line {@code history-worker {json}} with each job's seconds, status and this
 * process's peak RSS ({@code VmHWM}, the whole process's life). Modes: {@code pass} (Bronze ingest
 * of the topic, Silver, Gold), {@code silver} (Bronze and Silver), {@code gold} (Gold only).
 *
 * <pre>
 * java -cp ... HistoryWorker MODE LAKE_ROOT RUNNER WORKERS BOOTSTRAP TOPIC MAX_RECORDS
 * </pre>
 */
public final class HistoryWorker {
  static final String PREFIX = "history-worker ";

  private HistoryWorker() {}

  public static void main(String[] args) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty("ticklake.bench.logLevel", "warn"), Level.WARN));
    String mode = args[0];
    String lakeRoot = args[1];
    String runner = args[2];
    int workers = Integer.parseInt(args[3]);
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      if (!mode.equals("gold")) {
        out.put(
            "bronze", bronze(lakeRoot, runner, workers, args[4], args[5], Long.parseLong(args[6])));
        out.put("silver", silver(lakeRoot, runner, workers));
      }
      if (!mode.equals("silver")) {
        out.put("gold", gold(lakeRoot, runner, workers));
      }
    } finally {
      LocalFlinkCluster.shutdown();
    }
    out.put("peakRssBytes", Environment.readPeakRss());
    System.out.println(PREFIX + new ObjectMapper().writeValueAsString(out));
    System.out.flush();
    System.exit(0);
  }

  private static Map<String, Object> bronze(
      String lakeRoot, String runner, int workers, String bootstrap, String topic, long max) {
    IngestBronzeJob.Options o = PipelineOptionsFactory.as(IngestBronzeJob.Options.class);
    o.setLakeRoot(lakeRoot);
    o.setBootstrapServers(bootstrap);
    o.setTopic(topic);
    o.setMaxRecordsPerBatch(max);
    o.setRunId("bench-history");
    Suites.configure(o, runner, workers);
    long t0 = System.nanoTime();
    IngestBronzeJob.Result r = IngestBronzeJob.run(o);
    return step(t0, r.status(), r.commit() == null ? 0 : r.commit().rowsCommitted());
  }

  private static Map<String, Object> silver(String lakeRoot, String runner, int workers) {
    RefineSilverJob.Options o = PipelineOptionsFactory.as(RefineSilverJob.Options.class);
    o.setLakeRoot(lakeRoot);
    o.setRunId("bench-history");
    Suites.configure(o, runner, workers);
    long t0 = System.nanoTime();
    RefineSilverJob.Result r = RefineSilverJob.run(o);
    Map<String, Object> m = step(t0, r.status(), r.silverRowsWritten());
    m.put("quarantinedRows", r.quarantinedRows());
    return m;
  }

  private static Map<String, Object> gold(String lakeRoot, String runner, int workers) {
    BuildGoldJob.Options o = PipelineOptionsFactory.as(BuildGoldJob.Options.class);
    o.setLakeRoot(lakeRoot);
    o.setRunId("bench-history");
    Suites.configure(o, runner, workers);
    long t0 = System.nanoTime();
    BuildGoldJob.Result r = BuildGoldJob.run(o);
    return step(t0, r.status(), r.commits().size());
  }

  private static Map<String, Object> step(long t0, BatchStatus status, long count) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", Suites.seconds(t0));
    m.put("status", status.name());
    m.put("count", count);
    return m;
  }
}

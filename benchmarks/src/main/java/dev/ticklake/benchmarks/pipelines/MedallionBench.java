package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.seconds;

import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.PipelineRuns;
import dev.ticklake.pipelines.RefineSilverJob;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DeltaIO;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

/** One bronze → silver → gold pass over a lake whose Bronze table holds the benchmark events. */
final class MedallionBench {
  private MedallionBench() {}

  /**
   * Seconds of the Silver and Gold runs of one pass (wall clock, and the CPU time of the whole
   * process meanwhile, as in {@link Increment}), and what they committed.
   */
  record Pass(
      double silverSeconds,
      double goldSeconds,
      double silverCpuSeconds,
      double goldCpuSeconds,
      long silverRows,
      Map<String, Long> gold) {
    double totalSeconds() {
      return silverSeconds + goldSeconds;
    }
  }

  /**
   * Runs {@link RefineSilverJob#run} then {@link BuildGoldJob#run} on {@code lakeRoot}; when {@code
   * events > 0}, verifies: every Bronze row read and new in Silver, nothing quarantined, and every
   * Gold table committed with the exact row counts of the synthetic stream ({@code symbols} symbols
   * round-robin, 1 ms apart from a minute boundary, one day).
   */
  static Pass run(String runner, int workers, String lakeRoot, long events, int symbols) {
    Jobs jobs = Jobs.run(runner, workers, lakeRoot, "bench");
    RefineSilverJob.Result silver = jobs.silver();
    BuildGoldJob.Result gold = jobs.gold();
    Map<String, Long> goldRows = new HashMap<>();
    for (CommitReport c : gold.commits()) {
      goldRows.put(c.table(), c.rowsCommitted());
    }
    if (events > 0) {
      verify(runner, silver, gold, goldRows, events, symbols);
    }
    return new Pass(
        jobs.silverSeconds(),
        jobs.goldSeconds(),
        jobs.silverCpuSeconds(),
        jobs.goldCpuSeconds(),
        silver.silverRowsWritten(),
        goldRows);
  }

  /**
   * One {@link RefineSilverJob#run} then one {@link BuildGoldJob#run} on a lake, each timed by the
   * wall clock and by the CPU time of the whole process meanwhile.
   */
  private record Jobs(
      RefineSilverJob.Result silver,
      BuildGoldJob.Result gold,
      double silverSeconds,
      double goldSeconds,
      double silverCpuSeconds,
      double goldCpuSeconds) {

    static Jobs run(String runner, int workers, String lakeRoot, String runId) {
      RefineSilverJob.Options s = PipelineOptionsFactory.as(RefineSilverJob.Options.class);
      s.setLakeRoot(lakeRoot);
      s.setRunId(runId);
      Suites.configure(s, runner, workers);
      long t0 = System.nanoTime();
      long cpu0 = processCpuNanos();
      RefineSilverJob.Result silver = RefineSilverJob.run(s);
      double silverSeconds = seconds(t0);
      double silverCpuSeconds = (processCpuNanos() - cpu0) / 1e9;

      BuildGoldJob.Options g = PipelineOptionsFactory.as(BuildGoldJob.Options.class);
      g.setLakeRoot(lakeRoot);
      g.setRunId(runId);
      Suites.configure(g, runner, workers);
      t0 = System.nanoTime();
      cpu0 = processCpuNanos();
      BuildGoldJob.Result gold = BuildGoldJob.run(g);
      return new Jobs(
          silver,
          gold,
          silverSeconds,
          seconds(t0),
          silverCpuSeconds,
          (processCpuNanos() - cpu0) / 1e9);
    }
  }

  /**
   * Seconds of one small Silver + Gold batch on top of the big table: wall clock, and the CPU time
   * of the whole benchmark process meanwhile (every thread, GC included), which on a shared machine
   * varies much less with its load than the wall clock does.
   */
  record Increment(
      double silverSeconds,
      double goldSeconds,
      double silverCpuSeconds,
      double goldCpuSeconds,
      long silverRows) {}

  /**
   * The live-feed case: {@code batches} times, appends {@code n} new events to Bronze (untimed:
   * trades 1 ms apart that continue the big stream, so newer than every Silver row, on the same
   * trade date; Kafka positions after the topic's end), then times one warm {@link
   * RefineSilverJob#run} and one {@link BuildGoldJob#run}. Verifies that each Silver batch read and
   * added exactly the {@code n} events and that Gold committed.
   */
  static List<Increment> increments(
      String runner,
      int workers,
      String lakeRoot,
      long events,
      long n,
      int batches,
      Map<Integer, Long> endOffsets) {
    Map<Integer, Long> next = new HashMap<>(endOffsets);
    List<Increment> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      appendBronze(lakeRoot, events + b * n, n, next);
      Jobs jobs = Jobs.run(runner, workers, lakeRoot, "bench-increment");
      RefineSilverJob.Result silver = jobs.silver();
      BuildGoldJob.Result gold = jobs.gold();
      if (silver.status() != BatchStatus.COMMITTED
          || silver.bronzeRows() != n
          || silver.silverRowsWritten() != n
          || gold.status() != BatchStatus.COMMITTED) {
        throw new IllegalStateException(
            runner + " incremental batch " + b + " is wrong: " + silver + "; " + gold);
      }
      out.add(
          new Increment(
              jobs.silverSeconds(),
              jobs.goldSeconds(),
              jobs.silverCpuSeconds(),
              jobs.goldCpuSeconds(),
              silver.silverRowsWritten()));
    }
    return out;
  }

  /** CPU time of this process so far (all threads), or 0 where the JVM does not report it. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(os.getProcessCpuTime(), 0);
    }
    return 0;
  }

  /** Appends events {@code [from, from + n)} of the benchmark stream to Bronze, round-robin. */
  private static void appendBronze(String lakeRoot, long from, long n, Map<Integer, Long> next) {
    Schema schema = TableCatalog.BRONZE_TICKS.schema();
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .seed(42 + from)
            .count(n)
            .start(IngestBench.START.plusMillis(from))
            .build();
    long ingestMicros = System.currentTimeMillis() * 1000L;
    int ingestDate = (int) Math.floorDiv(ingestMicros, 86_400_000_000L);
    List<GenericRecord> rows = new ArrayList<>();
    Iterator<FeedItem> items = feed.items();
    List<Integer> partitions = new ArrayList<>(next.keySet());
    for (int i = 0; items.hasNext(); i++) {
      FeedItem item = items.next();
      int partition = partitions.get(i % partitions.size());
      GenericRecord r = new GenericData.Record(schema);
      r.put("value", ByteBuffer.wrap(item.value()));
      r.put("key", ByteBuffer.wrap(item.key()));
      r.put("topic", IngestBench.TOPIC);
      r.put("partition", partition);
      r.put("offset", next.merge(partition, 1L, Long::sum) - 1);
      r.put("kafka_ts", ingestMicros);
      r.put("ingest_ts", ingestMicros);
      r.put("ingest_date", ingestDate);
      rows.add(r);
    }
    Pipeline p = Pipeline.create(PipelineRuns.tune(PipelineOptionsFactory.create()));
    p.apply(Create.of(rows).withCoder(AvroCoder.of(schema)))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.BRONZE_TICKS, lakeRoot)));
    PipelineRuns.runAndWait(p);
  }

  private static void verify(
      String runner,
      RefineSilverJob.Result silver,
      BuildGoldJob.Result gold,
      Map<String, Long> goldRows,
      long events,
      int symbols) {
    if (silver.status() != BatchStatus.COMMITTED
        || silver.bronzeRows() != events
        || silver.silverRowsWritten() != events
        || silver.quarantinedRows() != 0) {
      throw new IllegalStateException(runner + " Silver pass is wrong: " + silver);
    }
    Map<String, Long> expected = HistoryExpectations.liveDay(events, symbols).gold();
    boolean committed =
        gold.status() == BatchStatus.COMMITTED
            && gold.commits().stream()
                .allMatch(
                    c ->
                        c.status() == dev.ticklake.transforms.delta.CommitOutcome.Status.COMMITTED
                            || c.table().equals("gold/anomalies"));
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      if (!e.getValue().equals(goldRows.get(e.getKey()))) {
        committed = false;
      }
    }
    if (!committed) {
      throw new IllegalStateException(
          runner + " Gold pass is wrong: expected rows " + expected + ", got " + gold);
    }
  }
}

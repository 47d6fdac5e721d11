package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.best;
import static dev.ticklake.benchmarks.pipelines.Suites.row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ingest suite's JSON section and console table, from its timed rounds. */
final class IngestReport {
  private static final String FMT = "%-28s %10s %8s %12s %9s";

  private IngestReport() {}

  /** The suite's JSON section and table of an ingest suite run. */
  record Output(Map<String, Object> json, String table) {}

  /**
   * {@code raw}: seconds of each round's raw consume; {@code byRunner}: each runner's ingest
   * seconds per round; {@code last}: each runner's last run (its verified counts are reported).
   */
  static Output of(
      long events,
      Map<String, Object> config,
      IngestBench kafka,
      List<Double> raw,
      Map<String, List<Double>> byRunner,
      Map<String, IngestBench.IngestRun> last,
      SuiteEnvironment env) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config);
    json.put("produce", produceJson(events, kafka));
    json.put("rawConsume", Suites.rate(events, raw));
    Map<String, Object> runnersJson = new LinkedHashMap<>();
    double bestRate = 0;
    for (Map.Entry<String, List<Double>> e : byRunner.entrySet()) {
      double rate = events / best(e.getValue());
      bestRate = Math.max(bestRate, rate);
      runnersJson.put(
          e.getKey(), runnerJson(events, e.getValue(), best(raw), last.get(e.getKey())));
    }
    json.put("runners", runnersJson);
    json.put(
        "target",
        Map.of(
            "eventsPerSecond",
            Benchmark.INGEST_TARGET,
            "best",
            Math.round(bestRate),
            "met",
            bestRate >= Benchmark.INGEST_TARGET));
    json.put("suiteEnvironment", env.toJson());
    return new Output(json, table(events, kafka, raw, byRunner, bestRate, env));
  }

  private static Map<String, Object> runnerJson(
      long events, List<Double> seconds, double bestRaw, IngestBench.IngestRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> ingestRate = Suites.rate(events, seconds);
    double rate = events / best(seconds);
    ingestRate.put("ratioToRawConsume", BenchmarkResult.round(rate * bestRaw / events, 3));
    ingestRate.put("ratioToTarget", BenchmarkResult.round(rate / Benchmark.INGEST_TARGET, 3));
    m.put("bronzeIngest", ingestRate);
    m.put(
        "verified",
        Map.of(
            "rowsCommitted", r.rowsCommitted(),
            "rowsInLog", r.rowsInLog(),
            "dataFiles", r.files(),
            "tableVersion", r.version()));
    return m;
  }

  private static Map<String, Object> produceJson(long events, IngestBench kafka) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", events);
    m.put("seconds", BenchmarkResult.round(kafka.produceSeconds, 3));
    m.put("eventsPerSecond", Math.round(events / kafka.produceSeconds));
    m.put("bytes", kafka.producedBytes);
    m.put("recordsPerPartition", kafka.perPartition);
    m.put(
        "how",
        "one KafkaProducer (KafkaSettings.producerProperties: acks=all, idempotent, lz4,"
            + " linger 5 ms, 256 KiB batches) sending SyntheticFeed items as they are generated");
    return m;
  }

  private static String table(
      long events,
      IngestBench kafka,
      List<Double> raw,
      Map<String, List<Double>> byRunner,
      double bestRate,
      SuiteEnvironment env) {
    List<String> lines = new ArrayList<>();
    lines.add("== ingest ==");
    lines.add(String.format(Locale.ROOT, FMT, "step", "events", "seconds", "events/s", "/target"));
    lines.add(row(FMT, "kafka produce (1 producer)", events, kafka.produceSeconds, null));
    lines.add(row(FMT, "kafka raw consume (1 thread)", events, best(raw), null));
    for (Map.Entry<String, List<Double>> e : byRunner.entrySet()) {
      double s = best(e.getValue());
      lines.add(
          row(FMT, "Bronze ingest " + e.getKey(), events, s, events / s / Benchmark.INGEST_TARGET));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "target %,d events/s on the faster runner: %s  |  %s",
            Math.round(Benchmark.INGEST_TARGET),
            bestRate >= Benchmark.INGEST_TARGET ? "met" : "MISSED",
            env.line()));
    return String.join(System.lineSeparator(), lines);
  }
}

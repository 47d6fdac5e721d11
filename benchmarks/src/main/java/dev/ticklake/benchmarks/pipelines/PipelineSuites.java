package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.best;
import static dev.ticklake.benchmarks.pipelines.Suites.log;
import static dev.ticklake.benchmarks.pipelines.Suites.median;

import dev.ticklake.pipelines.LocalFlinkCluster;
import dev.ticklake.transforms.util.Directories;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ingest and medallion suites of {@link Benchmark}: one embedded Kafka topic of {@code
 * --events} synthetic trades serves both; the medallion suite starts from a Bronze table of all of
 * them (made by the ingest suite's Flink run if there was one, else by an untimed ingest).
 */
final class PipelineSuites {
  private final PrintStream out;
  private final Benchmark.Options options;
  private final List<String> runners;
  private final Path workDir;
  private final int workers;
  private final long events;
  private final long warmup;
  private String bronzeSource;
  private long bronzeFiles;
  Map<String, Object> ingestJson;
  String ingestTable;
  Map<String, Object> medallionJson;
  String medallionTable;

  PipelineSuites(PrintStream out, Benchmark.Options options, List<String> runners, Path workDir) {
    this.out = out;
    this.options = options;
    this.runners = runners;
    this.workDir = workDir;
    this.workers = options.getWorkers();
    this.events = options.getEvents();
    this.warmup = Math.min(options.getWarmupEvents(), events);
  }

  void runSuites(boolean ingest, boolean medallion) {
    SuiteEnvironment ingestEnv = SuiteEnvironment.start();
    try (IngestBench kafka = IngestBench.start(out, events)) {
      if (ingest) {
        ingestSuite(kafka, ingestEnv);
      }
      if (medallion) {
        medallionSuite(kafka);
      }
    }
  }

  private String lake(String name) {
    return workDir.resolve(name).toString();
  }

  private void ingestSuite(IngestBench kafka, SuiteEnvironment env) {
    log(out, "[ingest] warm-up: raw consume of %,d ...", warmup);
    kafka.rawConsume(warmup);
    for (String runner : runners) {
      log(out, "[%s] warm-up Bronze ingest of %,d events ...", runner, warmup);
      String lake = lake("ingest-warmup-" + runner);
      IngestBench.IngestRun w = kafka.ingest(runner, workers, lake, warmup, warmup);
      log(out, "[%s] warm-up ingest %.2f s", runner, w.seconds());
      Directories.deleteRecursively(Path.of(lake));
    }
    List<Double> raw = new ArrayList<>();
    Map<String, List<Double>> byRunner = new LinkedHashMap<>();
    Map<String, IngestBench.IngestRun> last = new LinkedHashMap<>();
    for (int round = 1; round <= options.getRepeats(); round++) {
      log(out, "[raw] round %d: kafka-clients consume of %,d ...", round, events);
      double s = kafka.rawConsume(events);
      raw.add(s);
      log(out, "[raw] consume %.2f s, %,d events/s", s, Math.round(events / s));
      for (String runner : runners) {
        String lake = lake("ingest-" + runner + "-" + round);
        log(out, "[%s] round %d: Bronze ingest of %,d events ...", runner, round, events);
        IngestBench.IngestRun r = kafka.ingest(runner, workers, lake, events, events);
        log(
            out,
            "[%s] ingest %.2f s, %,d events/s; verified %,d rows committed, %,d in the log, %d"
                + " files",
            runner,
            r.seconds(),
            Math.round(events / r.seconds()),
            r.rowsCommitted(),
            r.rowsInLog(),
            r.files());
        byRunner.computeIfAbsent(runner, k -> new ArrayList<>()).add(r.seconds());
        last.put(runner, r);
        keepOrDelete(runner, lake, r.files());
      }
    }
    env.end();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config());
    json.put("produce", produceJson(kafka));
    json.put("rawConsume", Suites.rate(events, raw));
    Map<String, Object> runnersJson = new LinkedHashMap<>();
    double bestRate = 0;
    for (Map.Entry<String, List<Double>> e : byRunner.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> ingestRate = Suites.rate(events, e.getValue());
      double rate = events / best(e.getValue());
      bestRate = Math.max(bestRate, rate);
      ingestRate.put("ratioToRawConsume", BenchmarkResult.round(rate * best(raw) / events, 3));
      ingestRate.put("ratioToTarget", BenchmarkResult.round(rate / Benchmark.INGEST_TARGET, 3));
      m.put("bronzeIngest", ingestRate);
      IngestBench.IngestRun r = last.get(e.getKey());
      m.put(
          "verified",
          Map.of(
              "rowsCommitted", r.rowsCommitted(),
              "rowsInLog", r.rowsInLog(),
              "dataFiles", r.files(),
              "tableVersion", r.version()));
      runnersJson.put(e.getKey(), m);
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
    ingestJson = json;

    List<String> lines = new ArrayList<>();
    String fmt = "%-28s %10s %8s %12s %9s";
    lines.add("== ingest ==");
    lines.add(String.format(Locale.ROOT, fmt, "step", "events", "seconds", "events/s", "/target"));
    lines.add(row(fmt, "kafka produce (1 producer)", events, kafka.produceSeconds, null));
    lines.add(row(fmt, "kafka raw consume (1 thread)", events, best(raw), null));
    for (Map.Entry<String, List<Double>> e : byRunner.entrySet()) {
      double s = best(e.getValue());
      lines.add(
          row(fmt, "Bronze ingest " + e.getKey(), events, s, events / s / Benchmark.INGEST_TARGET));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "target %,d events/s on the faster runner: %s  |  %s",
            Math.round(Benchmark.INGEST_TARGET),
            bestRate >= Benchmark.INGEST_TARGET ? "met" : "MISSED",
            env.line()));
    ingestTable = String.join(System.lineSeparator(), lines);
  }

  /** Keeps one full Bronze table for the medallion suite (Flink's if it ran), deletes the rest. */
  private void keepOrDelete(String runner, String lake, long files) {
    boolean keep =
        bronzeSource == null || (runner.equals("flink") && !bronzeSource.contains("flink"));
    if (keep) {
      if (bronzeSource != null) {
        Directories.deleteRecursively(Path.of(bronzeSource));
      }
      bronzeSource = lake;
      bronzeFiles = files;
    } else {
      Directories.deleteRecursively(Path.of(lake));
    }
  }

  private Map<String, Object> produceJson(IngestBench kafka) {
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

  private Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("events", events);
    c.put("warmupEvents", warmup);
    c.put("repeats", options.getRepeats());
    c.put("workers", workers);
    c.put("topicPartitions", IngestBench.PARTITIONS);
    c.put("runners", runners);
    return c;
  }

  private void medallionSuite(IngestBench kafka) {
    List<String> runners =
        options.getMedallionRunners().isBlank()
            ? this.runners
            : DeltaIOBenchmark.parseRunners(options.getMedallionRunners());
    SuiteEnvironment env = SuiteEnvironment.start();
    if (bronzeSource == null) {
      String runner = runners.contains("flink") ? "flink" : runners.get(0);
      log(out, "[medallion] untimed Bronze ingest of %,d events on %s ...", events, runner);
      String lake = lake("bronze-source");
      IngestBench.IngestRun r = kafka.ingest(runner, workers, lake, events, events);
      bronzeSource = lake;
      bronzeFiles = r.files();
    }
    for (String runner : runners) {
      String lake = lake("medallion-warmup-" + runner);
      log(out, "[%s] warm-up: ingest, silver, gold of %,d events ...", runner, warmup);
      kafka.ingest(runner, workers, lake, warmup, warmup);
      MedallionBench.Pass w = MedallionBench.run(runner, workers, lake, 0, 0);
      log(
          out,
          "[%s] warm-up silver %.2f s, gold %.2f s",
          runner,
          w.silverSeconds(),
          w.goldSeconds());
      Directories.deleteRecursively(Path.of(lake));
    }
    int symbols = kafka.symbols;
    Map<String, List<MedallionBench.Pass>> byRunner = new LinkedHashMap<>();
    Map<String, List<MedallionBench.Increment>> increments = new LinkedHashMap<>();
    for (int round = 1; round <= options.getRepeats(); round++) {
      for (String runner : runners) {
        String lake = lake("medallion-" + runner + "-" + round);
        Suites.copyRecursively(IngestBench.bronzePath(bronzeSource), IngestBench.bronzePath(lake));
        log(
            out,
            "[%s] round %d: bronze -> silver -> gold of %,d events ...",
            runner,
            round,
            events);
        MedallionBench.Pass p = MedallionBench.run(runner, workers, lake, events, symbols);
        log(
            out,
            "[%s] silver %.2f s (%,d events/s, cpu %.2f s), gold %.2f s (%,d events/s, cpu %.2f"
                + " s), pass %.2f s; verified %,d silver rows, gold %s",
            runner,
            p.silverSeconds(),
            Math.round(events / p.silverSeconds()),
            p.silverCpuSeconds(),
            p.goldSeconds(),
            Math.round(events / p.goldSeconds()),
            p.goldCpuSeconds(),
            p.totalSeconds(),
            p.silverRows(),
            p.gold());
        byRunner.computeIfAbsent(runner, k -> new ArrayList<>()).add(p);
        if (round == 1
            && options.getIncrementalEvents() > 0
            && options.getIncrementalBatches() > 1) {
          long n = options.getIncrementalEvents();
          log(
              out,
              "[%s] %d incremental batches of %,d new events on top of the %,d-row table ...",
              runner,
              options.getIncrementalBatches(),
              n,
              events);
          List<MedallionBench.Increment> inc =
              MedallionBench.increments(
                  runner,
                  workers,
                  lake,
                  events,
                  n,
                  options.getIncrementalBatches(),
                  kafka.perPartition);
          for (MedallionBench.Increment i : inc) {
            log(
                out,
                "[%s] incremental silver %.2f s (cpu %.2f s), gold %.2f s (cpu %.2f s)",
                runner,
                i.silverSeconds(),
                i.silverCpuSeconds(),
                i.goldSeconds(),
                i.goldCpuSeconds());
          }
          increments.put(runner, inc);
        }
        Directories.deleteRecursively(Path.of(lake));
      }
    }
    env.end();
    LocalFlinkCluster.Stats flinkJobs = LocalFlinkCluster.stats();
    if (runners.contains("flink")) {
      log(
          out,
          "[flink] jobs so far on the shared local Flink cluster: %d (cluster starts: %d; jobs that"
              + " got a cluster of their own: %d)",
          flinkJobs.sharedJobs(),
          flinkJobs.sharedClusterStarts(),
          flinkJobs.ownClusterJobs());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> c = config();
    c.put("runners", runners);
    c.put("flinkJobsOnSharedLocalCluster", flinkJobs.sharedJobs());
    c.put("flinkSharedLocalClusterStarts", flinkJobs.sharedClusterStarts());
    c.put("bronzeSource", bronzeSource.contains("flink") ? "flink ingest" : "direct ingest");
    c.put("bronzeDataFiles", bronzeFiles);
    json.put("config", c);
    Map<String, Object> runnersJson = new LinkedHashMap<>();
    double bestSilver = 0;
    double bestPass = Double.MAX_VALUE;
    // Targets are judged on the median round of the faster runner: on this 2-core machine one round
    // varies by ±25%, so the best round says little about what a user gets.
    double medianSilver = 0;
    double medianPass = Double.MAX_VALUE;
    List<String> lines = new ArrayList<>();
    String fmt = "%-28s %10s %8s %12s %9s";
    lines.add("== medallion ==");
    lines.add(String.format(Locale.ROOT, fmt, "step", "events", "seconds", "events/s", "/target"));
    for (Map.Entry<String, List<MedallionBench.Pass>> e : byRunner.entrySet()) {
      List<Double> silver = e.getValue().stream().map(MedallionBench.Pass::silverSeconds).toList();
      List<Double> gold = e.getValue().stream().map(MedallionBench.Pass::goldSeconds).toList();
      List<Double> pass = e.getValue().stream().map(MedallionBench.Pass::totalSeconds).toList();
      double silverRate = events / best(silver);
      bestSilver = Math.max(bestSilver, silverRate);
      bestPass = Math.min(bestPass, best(pass));
      medianSilver = Math.max(medianSilver, events / median(silver));
      medianPass = Math.min(medianPass, median(pass));
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> s = Suites.rate(events, silver);
      s.put("ratioToTarget", BenchmarkResult.round(silverRate / Benchmark.SILVER_TARGET, 3));
      m.put("refineSilver", s);
      s.put(
          "cpuSeconds",
          e.getValue().stream().map(x -> BenchmarkResult.round(x.silverCpuSeconds(), 3)).toList());
      Map<String, Object> g = Suites.rate(events, gold);
      g.put(
          "cpuSeconds",
          e.getValue().stream().map(x -> BenchmarkResult.round(x.goldCpuSeconds(), 3)).toList());
      m.put("buildGold", g);
      Map<String, Object> p = Suites.rate(events, pass);
      p.put("ratioToTarget", BenchmarkResult.round(Benchmark.PASS_TARGET_SECONDS / best(pass), 3));
      m.put("bronzeToGold", p);
      List<MedallionBench.Increment> inc = increments.get(e.getKey());
      if (inc != null) {
        // The first batch warms the small-batch path up; the others are timed.
        List<MedallionBench.Increment> warm = inc.subList(1, inc.size());
        List<Double> incSilver =
            warm.stream().map(MedallionBench.Increment::silverSeconds).toList();
        List<Double> incGold = warm.stream().map(MedallionBench.Increment::goldSeconds).toList();
        Map<String, Object> im = new LinkedHashMap<>();
        im.put("eventsPerBatch", options.getIncrementalEvents());
        im.put("onTopOfRows", events);
        im.put(
            "warmUpBatch",
            Map.of(
                "silverSeconds",
                BenchmarkResult.round(inc.get(0).silverSeconds(), 3),
                "goldSeconds",
                BenchmarkResult.round(inc.get(0).goldSeconds(), 3)));
        im.put(
            "silverSecondsPerBatch",
            incSilver.stream().map(x -> BenchmarkResult.round(x, 3)).toList());
        im.put(
            "goldSecondsPerBatch", incGold.stream().map(x -> BenchmarkResult.round(x, 3)).toList());
        im.put(
            "silverCpuSecondsPerBatch",
            warm.stream().map(x -> BenchmarkResult.round(x.silverCpuSeconds(), 3)).toList());
        im.put(
            "goldCpuSecondsPerBatch",
            warm.stream().map(x -> BenchmarkResult.round(x.goldCpuSeconds(), 3)).toList());
        im.put("bestSilverSeconds", BenchmarkResult.round(best(incSilver), 3));
        im.put("bestGoldSeconds", BenchmarkResult.round(best(incGold), 3));
        im.put("medianSilverSeconds", BenchmarkResult.round(median(incSilver), 3));
        im.put("medianGoldSeconds", BenchmarkResult.round(median(incGold), 3));
        m.put("incrementalBatch", im);
        lines.add(
            row(
                fmt,
                "incr. silver " + e.getKey(),
                options.getIncrementalEvents(),
                best(incSilver),
                null));
        lines.add(
            row(
                fmt,
                "incr. gold " + e.getKey(),
                options.getIncrementalEvents(),
                best(incGold),
                null));
      }
      MedallionBench.Pass lastPass = e.getValue().get(e.getValue().size() - 1);
      m.put("verified", Map.of("silverRows", lastPass.silverRows(), "goldRows", lastPass.gold()));
      runnersJson.put(e.getKey(), m);
      String r = e.getKey();
      lines.add(
          row(
              fmt,
              "refine silver " + r,
              events,
              best(silver),
              silverRate / Benchmark.SILVER_TARGET));
      lines.add(row(fmt, "build gold " + r, events, best(gold), null));
      lines.add(
          row(
              fmt,
              "bronze->silver->gold " + r,
              events,
              best(pass),
              Benchmark.PASS_TARGET_SECONDS / best(pass)));
    }
    json.put("runners", runnersJson);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("silverEventsPerSecond", Benchmark.SILVER_TARGET);
    target.put("bestSilver", Math.round(bestSilver));
    boolean judged = events == Benchmark.TARGET_EVENTS;
    boolean silverMet = medianSilver >= Benchmark.SILVER_TARGET;
    boolean passMet = medianPass <= Benchmark.PASS_TARGET_SECONDS;
    target.put("judgedOn", judged ? "median round of the faster runner" : "not judged");
    target.put("medianSilver", Math.round(medianSilver));
    target.put("silverMet", judged ? silverMet : null);
    target.put("passSeconds", Benchmark.PASS_TARGET_SECONDS);
    target.put("bestPass", BenchmarkResult.round(bestPass, 3));
    target.put("medianPass", BenchmarkResult.round(medianPass, 3));
    target.put("passMet", judged ? passMet : null);
    json.put("target", target);
    json.put("suiteEnvironment", env.toJson());
    medallionJson = json;
    lines.add(
        judged
            ? String.format(
                Locale.ROOT,
                "targets (median round): silver %,d events/s, >= %,d %s; pass %.2f s, <= %.0f s %s"
                    + "  |  %s",
                Math.round(medianSilver),
                Math.round(Benchmark.SILVER_TARGET),
                silverMet ? "met" : "MISSED",
                medianPass,
                Benchmark.PASS_TARGET_SECONDS,
                passMet ? "met" : "MISSED",
                env.line())
            : String.format(
                Locale.ROOT,
                "targets: not judged (they are for %,d events, this run had %,d)  |  %s",
                Benchmark.TARGET_EVENTS,
                events,
                env.line()));
    lines.add("(/target: rate / target rate; for the pass, 16 s / seconds: >= 1 meets it)");
    medallionTable = String.join(System.lineSeparator(), lines);
  }

  private static String row(String fmt, String step, long n, double seconds, Double ratio) {
    return String.format(
        Locale.ROOT,
        fmt,
        step,
        String.format(Locale.ROOT, "%,d", n),
        String.format(Locale.ROOT, "%.2f", seconds),
        String.format(Locale.ROOT, "%,d", Math.round(n / seconds)),
        ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio));
  }
}

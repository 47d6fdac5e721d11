package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.log;

import dev.ticklake.pipelines.LocalFlinkCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest and medallion suites of {@link Benchmark}: one embedded Kafka topic of {@code
 * --events} synthetic trades serves both; the medallion suite starts from a Bronze table of all of
 * them (made by the ingest suite's Flink run if there was one, else by an untimed ingest). The
 * reports ({@link IngestReport}, {@link MedallionReport}) turn the timings into JSON and tables.
 */
final class PipelineSuites {
  private final PrintStream out;
  private final Benchmark.Options options;
  private final List<String> runners;
  private final String lakeBase;
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
    this(out, options, runners, workDir.toString());
  }

  /** Suites whose lakes are under {@code lakeBase}: a local folder or a Hadoop URI (hdfs://). */
  PipelineSuites(
      PrintStream out, Benchmark.Options options, List<String> runners, String lakeBase) {
    this.out = out;
    this.lakeBase = lakeBase;
    this.options = options;
    this.runners = runners;
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
    return LakeFiles.isLocal(lakeBase)
        ? Path.of(lakeBase).resolve(name).toString()
        : lakeBase + "/" + name;
  }

  private void ingestSuite(IngestBench kafka, SuiteEnvironment env) {
    warmUpIngest(kafka);
    List<Double> raw = new ArrayList<>();
    Map<String, List<Double>> byRunner = new LinkedHashMap<>();
    Map<String, IngestBench.IngestRun> last = new LinkedHashMap<>();
    for (int round = 1; round <= options.getRepeats(); round++) {
      log(out, "[raw] round %d: kafka-clients consume of %,d ...", round, events);
      double s = kafka.rawConsume(events);
      raw.add(s);
      log(out, "[raw] consume %.2f s, %,d events/s", s, Math.round(events / s));
      for (String runner : runners) {
        IngestBench.IngestRun r = ingestRound(kafka, runner, round);
        byRunner.computeIfAbsent(runner, k -> new ArrayList<>()).add(r.seconds());
        last.put(runner, r);
      }
    }
    env.end();
    IngestReport.Output report = IngestReport.of(events, config(), kafka, raw, byRunner, last, env);
    ingestJson = report.json();
    ingestTable = report.table();
  }

  private void warmUpIngest(IngestBench kafka) {
    log(out, "[ingest] warm-up: raw consume of %,d ...", warmup);
    kafka.rawConsume(warmup);
    for (String runner : runners) {
      log(out, "[%s] warm-up Bronze ingest of %,d events ...", runner, warmup);
      String lake = lake("ingest-warmup-" + runner);
      IngestBench.IngestRun w = kafka.ingest(runner, workers, lake, warmup, warmup);
      log(out, "[%s] warm-up ingest %.2f s", runner, w.seconds());
      LakeFiles.delete(lake);
    }
  }

  private IngestBench.IngestRun ingestRound(IngestBench kafka, String runner, int round) {
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
    keepOrDelete(runner, lake, r.files());
    return r;
  }

  /** Keeps one full Bronze table for the medallion suite (Flink's if it ran), deletes the rest. */
  private void keepOrDelete(String runner, String lake, long files) {
    boolean keep =
        bronzeSource == null || (runner.equals("flink") && !bronzeSource.contains("flink"));
    if (keep) {
      if (bronzeSource != null) {
        LakeFiles.delete(bronzeSource);
      }
      bronzeSource = lake;
      bronzeFiles = files;
    } else {
      LakeFiles.delete(lake);
    }
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
    ensureBronzeSource(kafka, runners);
    warmUpMedallion(kafka, runners);
    Map<String, List<MedallionBench.Pass>> byRunner = new LinkedHashMap<>();
    Map<String, List<MedallionBench.Increment>> increments = new LinkedHashMap<>();
    for (int round = 1; round <= options.getRepeats(); round++) {
      for (String runner : runners) {
        String lake = lake("medallion-" + runner + "-" + round);
        byRunner
            .computeIfAbsent(runner, k -> new ArrayList<>())
            .add(medallionPass(kafka, runner, round, lake));
        if (round == 1
            && options.getIncrementalEvents() > 0
            && options.getIncrementalBatches() > 1) {
          increments.put(runner, incrementalBatches(kafka, runner, lake));
        }
        LakeFiles.delete(lake);
      }
    }
    env.end();
    MedallionReport.Output report =
        MedallionReport.of(
            events,
            options.getIncrementalEvents(),
            medallionConfig(runners),
            byRunner,
            increments,
            env);
    medallionJson = report.json();
    medallionTable = report.table();
  }

  /** Makes the Bronze source with an untimed ingest if the ingest suite did not run. */
  private void ensureBronzeSource(IngestBench kafka, List<String> runners) {
    if (bronzeSource != null) {
      return;
    }
    String runner = runners.contains("flink") ? "flink" : runners.get(0);
    log(out, "[medallion] untimed Bronze ingest of %,d events on %s ...", events, runner);
    String lake = lake("bronze-source");
    IngestBench.IngestRun r = kafka.ingest(runner, workers, lake, events, events);
    bronzeSource = lake;
    bronzeFiles = r.files();
  }

  private void warmUpMedallion(IngestBench kafka, List<String> runners) {
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
      LakeFiles.delete(lake);
    }
  }

  /** One timed bronze -> silver -> gold pass on a copy of the Bronze source. */
  private MedallionBench.Pass medallionPass(
      IngestBench kafka, String runner, int round, String lake) {
    LakeFiles.copy(IngestBench.bronzeLocation(bronzeSource), IngestBench.bronzeLocation(lake));
    log(out, "[%s] round %d: bronze -> silver -> gold of %,d events ...", runner, round, events);
    MedallionBench.Pass p = MedallionBench.run(runner, workers, lake, events, kafka.symbols);
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
    return p;
  }

  /** Small batches of new events on top of the full table the first round left. */
  private List<MedallionBench.Increment> incrementalBatches(
      IngestBench kafka, String runner, String lake) {
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
            runner, workers, lake, events, n, options.getIncrementalBatches(), kafka.perPartition);
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
    return inc;
  }

  private Map<String, Object> medallionConfig(List<String> runners) {
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
    Map<String, Object> c = config();
    c.put("runners", runners);
    c.put("flinkJobsOnSharedLocalCluster", flinkJobs.sharedJobs());
    c.put("flinkSharedLocalClusterStarts", flinkJobs.sharedClusterStarts());
    c.put("bronzeSource", bronzeSource.contains("flink") ? "flink ingest" : "direct ingest");
    c.put("bronzeDataFiles", bronzeFiles);
    return c;
  }
}

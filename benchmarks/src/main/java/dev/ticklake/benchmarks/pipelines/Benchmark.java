package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.transforms.util.Directories;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The benchmark command ({@code ci/bench.sh}): the suites {@code deltaio} ({@link
 * DeltaIOBenchmark}), {@code ingest} (Kafka produce, raw consume and Bronze ingest, {@link
 * IngestBench}) and {@code medallion} (bronze → silver → gold, {@link MedallionBench}) in one JVM,
 * one JSON file with one section per suite, and one table per suite on stdout. Each suite records
 * its own load average at start and end and its own peak RSS.
 */
public final class Benchmark {
  private Benchmark() {}

  static final double INGEST_TARGET = 350_000;
  static final double SILVER_TARGET = 220_000;
  static final double PASS_TARGET_SECONDS = 16;

  /** The batch size the Silver and pass targets are stated for. */
  static final long TARGET_EVENTS = 2_000_000;

  /** Options: the DeltaIO benchmark's, plus the suites and the pipeline suites' sizes. */
  public interface Options extends DeltaIOBenchmark.Options {
    @Description("Comma-separated suites: deltaio, ingest, medallion, training, cluster, history")
    @Default.String("deltaio,ingest,medallion")
    String getSuites();

    void setSuites(String suites);

    @Description("training suite: synthetic symbols (daily bars)")
    @Default.Integer(500)
    Integer getTrainingSymbols();

    void setTrainingSymbols(Integer value);

    @Description("training suite: years of daily bars per symbol (252 bars a year)")
    @Default.Integer(10)
    Integer getTrainingYears();

    void setTrainingYears(Integer value);

    @Description("Events produced to Kafka and ingested (ingest, medallion suites)")
    @Default.Long(2_000_000)
    long getEvents();

    void setEvents(long events);

    @Description(
        "cluster suite: also run the cluster's passes with the lake on a real HDFS (started by the"
            + " suite) and report their ratio to local disk")
    @Default.Boolean(true)
    boolean getClusterHdfs();

    void setClusterHdfs(boolean value);

    @Description(
        "cluster suite: how the jobs get TickLake's classes: staged (the job jar uploaded with each"
            + " job, flinkJobJar's default) or lib (the jar in the cluster's lib/ only, a"
            + " placeholder staged: flinkJobJar: lib); the cluster has the jar in lib/ either way")
    @Default.String("staged")
    String getClusterJobJar();

    void setClusterJobJar(String value);

    @Description(
        "Runners of the medallion suite (default: --runners); e.g. flink alone for a quicker run")
    @Default.String("")
    String getMedallionRunners();

    void setMedallionRunners(String runners);

    @Description(
        "Events of each small incremental Silver + Gold batch timed after the medallion suite's"
            + " big pass (the live-feed case: 5,000 events/s x 5 s); 0 skips them")
    @Default.Long(25_000)
    long getIncrementalEvents();

    void setIncrementalEvents(long events);

    @Description("Number of incremental batches per runner (the first one is a warm-up)")
    @Default.Integer(4)
    int getIncrementalBatches();

    void setIncrementalBatches(int batches);

    @Description("Events of each runner's warm-up batch (ingest, medallion suites)")
    @Default.Long(100_000)
    long getWarmupEvents();

    void setWarmupEvents(long events);

    @Description("history suite: cases to run (daily, single, minute, live)")
    @Default.String("daily,single,minute,live")
    String getHistoryCases();

    void setHistoryCases(String cases);

    @Description("history suite: symbols of the daily-bar case")
    @Default.Integer(500)
    int getHistorySymbols();

    void setHistorySymbols(int symbols);

    @Description("history suite: years of daily bars (daily and single cases)")
    @Default.Integer(20)
    int getHistoryYears();

    void setHistoryYears(int years);

    @Description("history suite: symbols of the 1-minute-bar case")
    @Default.Integer(50)
    int getHistoryMinuteSymbols();

    void setHistoryMinuteSymbols(int symbols);

    @Description("history suite: months of 1-minute bars (390 a trading day)")
    @Default.Integer(3)
    int getHistoryMonths();

    void setHistoryMonths(int months);

    @Description("history suite: trades of the live day whose Gold is timed")
    @Default.Long(2_000_000)
    long getHistoryLiveEvents();

    void setHistoryLiveEvents(long events);

    @Description("history suite: symbols of the live day")
    @Default.Integer(50)
    int getHistoryLiveSymbols();

    void setHistoryLiveSymbols(int symbols);

    @Description("history suite: the runner of every job (direct or flink)")
    @Default.String("flink")
    String getHistoryRunner();

    void setHistoryRunner(String runner);

    @Description("history suite: JVM options of the worker process that runs the jobs")
    @Default.String("-Xmx3g -XX:+UseParallelGC")
    String getHistoryJavaOpts();

    void setHistoryJavaOpts(String opts);
  }

  public static void main(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    List<String> tables = new ArrayList<>();
    Map<String, Object> doc = run(options, tables);
    System.out.println();
    for (String t : tables) {
      System.out.println(t);
      System.out.println();
    }
    System.out.println("JSON: " + Path.of(options.getOut()).toAbsolutePath() + " " + doc.keySet());
  }

  /** The suites this class runs (the orchestrator's {@code bench} command adds its own). */
  public static final List<String> SUITES =
      List.of("deltaio", "ingest", "medallion", "training", "cluster", "history");

  /** Runs the selected suites, writes the JSON, returns it; {@code tables} gets the tables. */
  static Map<String, Object> run(Options options, List<String> tables) throws IOException {
    double loadAtStart = Environment.readLoadAverage();
    List<String> suites = parseSuites(options.getSuites(), SUITES);
    return writeDocument(options.getOut(), loadAtStart, runSuites(options, suites, tables));
  }

  /**
   * The comma-separated suite names of {@code text}, lower-cased, each one of {@code known}.
   *
   * @throws IllegalArgumentException for an unknown suite
   */
  public static List<String> parseSuites(String text, List<String> known) {
    List<String> suites = new ArrayList<>();
    for (String s : text.split(",")) {
      String name = s.trim().toLowerCase(Locale.ROOT);
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "Unknown suite '" + s + "': use " + String.join(", ", known));
      }
      suites.add(name);
    }
    return suites;
  }

  /**
   * Runs those of {@code suites} that are in {@link #SUITES} and returns their JSON sections by
   * name; {@code tables} gets one console table per suite.
   */
  public static Map<String, Object> runSuites(
      Options options, List<String> suites, List<String> tables) throws IOException {
    PrintStream out = System.out;
    Map<String, Object> sections = new LinkedHashMap<>();
    // first: it needs a JVM whose Flink context environment is not set yet (ClusterSuite); parsing
    // the runners below sets it
    if (suites.contains("cluster")) {
      Path workDir =
          options.getWorkDir() == null
              ? Files.createTempDirectory("cluster-bench")
              : Files.createDirectories(Path.of(options.getWorkDir()).resolve("cluster"));
      try {
        ClusterSuite.Output r = ClusterSuite.run(out, options, workDir);
        sections.put("cluster", r.json());
        tables.add(r.table());
      } finally {
        if (options.getWorkDir() == null) {
          Directories.deleteRecursively(workDir);
        }
      }
    }
    List<String> runners = DeltaIOBenchmark.parseRunners(options.getRunners());

    if (suites.contains("deltaio")) {
      SuiteEnvironment env = SuiteEnvironment.start();
      BenchmarkResult r = DeltaIOBenchmark.measure(options);
      env.end();
      Map<String, Object> json = r.toJson();
      json.put("suiteEnvironment", env.toJson());
      sections.put("deltaio", json);
      tables.add(
          "== deltaio =="
              + System.lineSeparator()
              + r.table()
              + System.lineSeparator()
              + env.line());
    }
    if (suites.contains("ingest") || suites.contains("medallion")) {
      boolean tempWorkDir = options.getWorkDir() == null;
      Path workDir =
          tempWorkDir
              ? Files.createTempDirectory("pipeline-bench")
              : Files.createDirectories(Path.of(options.getWorkDir()).resolve("pipelines"));
      try {
        PipelineSuites p = new PipelineSuites(out, options, runners, workDir);
        p.runSuites(suites.contains("ingest"), suites.contains("medallion"));
        if (p.ingestJson != null) {
          sections.put("ingest", p.ingestJson);
          tables.add(p.ingestTable);
        }
        if (p.medallionJson != null) {
          sections.put("medallion", p.medallionJson);
          tables.add(p.medallionTable);
        }
      } finally {
        if (tempWorkDir) {
          Directories.deleteRecursively(workDir);
        }
      }
    }
    if (suites.contains("history")) {
      history(out, options, tables, sections);
    }
    if (suites.contains("training")) {
      TrainingBench.Result r =
          TrainingBench.run(out, options.getTrainingSymbols(), options.getTrainingYears());
      sections.put("training", r.json());
      tables.add(r.table());
    }
    return sections;
  }

  private static void history(
      PrintStream out, Options options, List<String> tables, Map<String, Object> sections)
      throws IOException {
    boolean tempWorkDir = options.getWorkDir() == null;
    Path workDir =
        tempWorkDir
            ? Files.createTempDirectory("history-bench")
            : Files.createDirectories(Path.of(options.getWorkDir()).resolve("history"));
    boolean ok = false;
    try {
      HistoryReport.Output r = HistoryBench.run(out, options, workDir);
      sections.put("history", r.json());
      tables.add(r.table());
      ok = true;
    } finally {
      if (tempWorkDir && ok) {
        Directories.deleteRecursively(workDir);
      } else if (!ok) {
        log(out, "history work directory kept for inspection: %s", workDir);
      }
    }
  }

  /**
   * Writes the benchmark's JSON file: {@code benchmark}, {@code timestamp}, {@code gitCommit},
   * {@code environment} (the whole process: load average at {@code loadAtStart} and now, peak RSS)
   * and {@code suites}. Returns the document.
   */
  public static Map<String, Object> writeDocument(
      String out, double loadAtStart, Map<String, Object> sections) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", "ticklake");
    Environment env = Environment.capture(loadAtStart);
    doc.put("timestamp", env.timestamp());
    doc.put("gitCommit", env.gitCommit());
    doc.put("environment", env.toJson());
    doc.put("suites", sections);
    Path outFile = Path.of(out).toAbsolutePath();
    Files.createDirectories(outFile.getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(outFile.toFile(), doc);
    log(System.out, "wrote %s", outFile);
    return doc;
  }
}

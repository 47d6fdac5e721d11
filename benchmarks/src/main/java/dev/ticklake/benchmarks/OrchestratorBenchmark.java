package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.pipelines.Benchmark;
import dev.ticklake.benchmarks.pipelines.Environment;
import dev.ticklake.benchmarks.pipelines.SuiteEnvironment;
import dev.ticklake.transforms.util.Directories;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole benchmark ({@code ticklake bench}, {@code ci/bench.sh}): the pipeline suites of {@link
 * Benchmark} ({@code deltaio}, {@code ingest}, {@code medallion}) plus {@code scheduler} ({@link
 * SchedulerBench}), {@code freshness} ({@link FreshnessBench}), {@code serving} ({@link
 * ServingBench}) and {@code dashboard} ({@link DashboardBench}, the serving suite's part B), in one
 * JSON file of the same format: a section per suite under {@code suites}, each with its load
 * average at start and end and peak RSS, and the process's environment.
 */
public final class OrchestratorBenchmark {
  private OrchestratorBenchmark() {}

  /** Every suite, in the order they run. */
  public static final List<String> SUITES = suites();

  private static List<String> suites() {
    List<String> all = new ArrayList<>(Benchmark.SUITES);
    all.add("scheduler");
    all.add("freshness");
    all.add("serving");
    all.add("dashboard");
    return List.copyOf(all);
  }

  /** Runs the selected suites, writes the JSON file, returns it; {@code tables} gets the tables. */
  public static Map<String, Object> run(BenchOptions options, List<String> tables)
      throws Exception {
    PrintStream out = System.out;
    double loadAtStart = Environment.readLoadAverage();
    List<String> suites = Benchmark.parseSuites(options.getSuites(), SUITES);
    Map<String, Object> sections = Benchmark.runSuites(options, suites, tables);
    boolean tempWorkDir = options.getWorkDir() == null;
    Path workDir =
        tempWorkDir
            ? Files.createTempDirectory("ticklake-bench")
            : Files.createDirectories(Path.of(options.getWorkDir()));
    boolean ok = false;
    try {
      Map<String, Measure> measures = new LinkedHashMap<>();
      measures.put(
          "scheduler",
          (dir, lines) -> new SchedulerBench(dir, options.getSchedulerRuns(), out).measure(lines));
      measures.put(
          "freshness",
          (dir, lines) ->
              new FreshnessBench(
                      dir,
                      out,
                      options.getFeedRate(),
                      options.getFreshnessSeconds(),
                      options.getFreshnessGraceSeconds(),
                      options.getFreshnessRunner(),
                      options.getFreshnessSchedule(),
                      DemoProcess.javaOpts(options.getDemoJavaOpts()))
                  .measure(lines));
      measures.put(
          "serving",
          (dir, lines) ->
              new ServingBench(
                      dir,
                      options.getServingSymbols(),
                      options.getServingDays(),
                      options.getServingBarsPerDay(),
                      options.getServingRepeats(),
                      options.getServingColdSamples(),
                      out)
                  .measure(lines));
      measures.put(
          "dashboard",
          (dir, lines) -> new DashboardBench(dir, out, dashboard(options)).measure(lines));
      for (Map.Entry<String, Measure> m : measures.entrySet()) {
        if (suites.contains(m.getKey())) {
          runSuite(m.getKey(), m.getValue(), workDir, sections, tables);
        }
      }
      ok = true;
    } finally {
      if (tempWorkDir && ok) {
        Directories.deleteRecursively(workDir);
      } else if (!ok) {
        Suite.log(out, "work directory kept for inspection: %s", workDir);
      }
    }
    return Benchmark.writeDocument(options.getOut(), loadAtStart, sections);
  }

  /** One of this class's suites: measures in its work directory, adds console lines. */
  private interface Measure {
    Map<String, Object> measure(Path workDir, List<String> lines) throws Exception;
  }

  /** Runs a suite with its load average and peak RSS; adds its section and table. */
  private static void runSuite(
      String name, Measure measure, Path workDir, Map<String, Object> sections, List<String> tables)
      throws Exception {
    SuiteEnvironment env = Suite.start();
    List<String> lines = new ArrayList<>();
    Map<String, Object> json =
        measure.measure(Files.createDirectories(workDir.resolve(name)), lines);
    env.end();
    json.put("suiteEnvironment", env.toJson());
    sections.put(name, json);
    tables.add(table(name, lines, env));
  }

  private static DashboardBench.Config dashboard(BenchOptions options) {
    return new DashboardBench.Config(
        Path.of(options.getDashboardFile()),
        options.getDashboardClients(),
        options.getDashboardSymbols(),
        options.getDashboardRefreshSeconds(),
        options.getDashboardWarmupSeconds(),
        options.getDashboardSeconds(),
        options.getDashboardFeedRate(),
        DemoProcess.javaOpts(options.getDemoJavaOpts()));
  }

  private static String table(String name, List<String> lines, SuiteEnvironment env) {
    String nl = System.lineSeparator();
    return "== " + name + " ==" + nl + String.join(nl, lines) + nl + env.line(" (bench JVM)");
  }
}

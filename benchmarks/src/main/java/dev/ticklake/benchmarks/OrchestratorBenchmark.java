package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.pipelines.Benchmark;
import dev.ticklake.benchmarks.pipelines.Environment;
import dev.ticklake.benchmarks.pipelines.SuiteEnvironment;
import dev.ticklake.transforms.util.Directories;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The whole benchmark ({@code ticklake bench}, {@code ci/bench.sh}): the pipeline suites of {@link
 * Benchmark} ({@code deltaio}, {@code ingest}, {@code medallion}) plus {@code scheduler} ({@link
 * SchedulerBench}), {@code freshness} ({@link FreshnessBench}) and {@code serving} ({@link
 * ServingBench}), in one JSON file of the same format: a section per suite under {@code suites},
 * each with its load average at start and end and peak RSS, and the process's environment.
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
      if (suites.contains("scheduler")) {
        SuiteEnvironment env = Suite.start();
        List<String> lines = new ArrayList<>();
        Map<String, Object> json =
            new SchedulerBench(
                    Files.createDirectories(workDir.resolve("scheduler")),
                    options.getSchedulerRuns(),
                    out)
                .measure(lines);
        env.end();
        json.put("suiteEnvironment", env.toJson());
        sections.put("scheduler", json);
        tables.add(table("scheduler", lines, env));
      }
      if (suites.contains("freshness")) {
        SuiteEnvironment env = Suite.start();
        List<String> lines = new ArrayList<>();
        List<String> javaOpts =
            options.getDemoJavaOpts().isBlank()
                ? List.of()
                : Arrays.asList(options.getDemoJavaOpts().trim().split("\\s+"));
        Map<String, Object> json =
            new FreshnessBench(
                    Files.createDirectories(workDir.resolve("freshness")),
                    out,
                    options.getFeedRate(),
                    options.getFreshnessSeconds(),
                    options.getFreshnessGraceSeconds(),
                    options.getFreshnessRunner(),
                    options.getFreshnessSchedule(),
                    javaOpts)
                .measure(lines);
        env.end();
        json.put("suiteEnvironment", env.toJson());
        sections.put("freshness", json);
        tables.add(table("freshness", lines, env));
      }
      if (suites.contains("serving")) {
        SuiteEnvironment env = Suite.start();
        List<String> lines = new ArrayList<>();
        Map<String, Object> json =
            new ServingBench(
                    Files.createDirectories(workDir.resolve("serving")),
                    options.getServingSymbols(),
                    options.getServingDays(),
                    options.getServingBarsPerDay(),
                    options.getServingRepeats(),
                    options.getServingColdSamples(),
                    out)
                .measure(lines);
        env.end();
        json.put("suiteEnvironment", env.toJson());
        sections.put("serving", json);
        tables.add(table("serving", lines, env));
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

  private static String table(String name, List<String> lines, SuiteEnvironment env) {
    String nl = System.lineSeparator();
    return "== " + name + " ==" + nl + String.join(nl, lines) + nl + env.line(" (bench JVM)");
  }
}

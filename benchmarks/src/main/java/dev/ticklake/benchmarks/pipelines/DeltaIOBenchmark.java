package dev.ticklake.benchmarks.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.benchmarks.pipelines.BenchmarkResult.Measurement;
import dev.ticklake.benchmarks.pipelines.BenchmarkResult.RunnerResult;
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
import org.apache.avro.Schema;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Measures DeltaIO against parquet-avro alone, in one JVM run.
 *
 * <p>What is measured, in rows per second of wall-clock time:
 *
 * <ol>
 *   <li><b>raw write</b>: one thread generates the rows and writes them with {@code
 *       AvroParquetWriter} to one file, with DeltaIO's data-file settings and without the partition
 *       column (as Delta stores rows);
 *   <li><b>raw read</b>: one thread reads that file fully with {@code AvroParquetReader};
 *   <li>per runner (DirectRunner, FlinkRunner {@code [local]}), after a small warm-up run:
 *       <b>DeltaIO write</b>, the whole pipeline run from {@code GenerateSequence} to the Delta
 *       commit of a fresh {@code silver/ticks} table; and <b>DeltaIO read</b>, the whole pipeline
 *       run reading that table and counting rows in a DoFn.
 * </ol>
 *
 * <p>The timed steps run in {@code --repeats} rounds (default 3; a fresh file or table each time),
 * each round raw first, then each runner; the best run of each step counts, for the raw baseline
 * and DeltaIO alike, and every run is in the JSON. Every path is warmed up first with {@code
 * --warmupRows} rows (to throwaway files and tables), so that none is measured with a cold JIT.
 * Both paths generate the same rows with the same function ({@link SyntheticTicks}); the write and
 * read are verified against the Delta log and fail the run on any difference. JVM start-up is
 * excluded; each pipeline's own start-up (the DirectRunner's executor, Flink's embedded mini
 * cluster) is included, as a job pays it. Results go to a JSON file ({@code --out}) and a table on
 * stdout. Run with {@code ci/bench.sh}.
 */
public final class DeltaIOBenchmark {
  private DeltaIOBenchmark() {}

  /** Command-line options ({@code --name=value}). */
  public interface Options extends PipelineOptions {
    @Description("Rows to write and read")
    @Default.Long(2_000_000)
    long getRows();

    void setRows(long rows);

    @Description("Rows of each runner's warm-up write and read (to a throwaway table)")
    @Default.Long(50_000)
    long getWarmupRows();

    void setWarmupRows(long rows);

    @Description(
        "Rows per element of the Beam source (GenerateSequence of blocks expanded by a DoFn);"
            + " 1 = one element per row, see SyntheticTicks.GenerateTicks")
    @Default.Long(1_000)
    long getRowsPerSourceElement();

    void setRowsPerSourceElement(long rows);

    @Description(
        "Timed runs of each step; the best (shortest) counts, for raw and DeltaIO alike, since"
            + " on a shared machine other processes only ever make a run slower")
    @Default.Integer(3)
    int getRepeats();

    void setRepeats(int repeats);

    @Description("Comma-separated runners: direct, flink")
    @Default.String("direct,flink")
    String getRunners();

    void setRunners(String runners);

    // Not "parallelism": that name is FlinkPipelineOptions' (an Integer), and Beam's options
    // registry is global.
    @Description("Workers per runner: DirectRunner threads, Flink parallelism")
    @Default.Integer(2)
    int getWorkers();

    void setWorkers(int workers);

    @Description("Where the JSON results go (parent directories are created)")
    @Default.String("bench-results/bench.json")
    String getOut();

    void setOut(String out);

    @Description("Directory for the tables and the raw file (default: a temp dir, deleted after)")
    String getWorkDir();

    void setWorkDir(String dir);

    @Description("Distinct symbols (the first five: AAPL, GOOGL, MSFT, AMZN, TSLA)")
    @Default.Integer(5)
    int getSymbols();

    void setSymbols(int symbols);

    @Description("Trade dates (partitions) the rows are spread over")
    @Default.Integer(1)
    int getDays();

    void setDays(int days);
  }

  public static void main(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    BenchmarkResult result = run(options);
    System.out.println();
    System.out.println(result.table());
    System.out.println("JSON: " + Path.of(options.getOut()).toAbsolutePath());
  }

  /** Runs every step, prints progress to stdout, writes the JSON and returns the figures. */
  public static BenchmarkResult run(Options options) throws IOException {
    BenchmarkResult result = measure(options);
    Path out = Path.of(options.getOut()).toAbsolutePath();
    Files.createDirectories(out.getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result.toJson());
    return result;
  }

  /** Runs every step, printing progress to stdout, and returns the figures (no JSON written). */
  static BenchmarkResult measure(Options options) throws IOException {
    PrintStream log = System.out;
    long n = options.getRows();
    int symbols = options.getSymbols();
    int days = options.getDays();
    int parallelism = options.getWorkers();
    List<String> runners = parseRunners(options.getRunners());
    if (options.getRepeats() < 1 || n < 1) {
      throw new IllegalArgumentException("--rows and --repeats must be at least 1");
    }
    double loadAtStart = Environment.readLoadAverage();
    boolean tempWorkDir = options.getWorkDir() == null;
    Path workDir =
        tempWorkDir
            ? Files.createTempDirectory("deltaio-bench")
            : Files.createDirectories(Path.of(options.getWorkDir()));
    log.printf(
        Locale.ROOT,
        "DeltaIO benchmark: %,d rows, %d symbols, %d day(s), runners %s, parallelism %d, work dir"
            + " %s%n",
        n,
        symbols,
        days,
        runners,
        parallelism,
        workDir);
    try {
      Schema dataSchema = withoutPartitionColumns(RunnerBench.TABLE.schema());
      SyntheticTicks rawTicks = new SyntheticTicks(dataSchema, n, symbols, days);
      Path rawDir = workDir.resolve("raw");
      Directories.deleteRecursively(rawDir);
      Files.createDirectories(rawDir);

      // Every path is warmed up, the raw one too: a cold JIT would flatter DeltaIO.
      warmUpRaw(log, options, rawTicks, rawDir);
      Map<String, RunnerRuns> byRunner = new LinkedHashMap<>();
      for (String runner : runners) {
        byRunner.put(runner, warmUpRunner(log, runner, options, workDir));
      }
      // Rounds of raw, then each runner: load from other processes on a shared machine then
      // hits every contender of a round alike, instead of whichever step ran while it lasted.
      Steps raw = new Steps();
      long rawFileBytes = 0;
      for (int round = 1; round <= options.getRepeats(); round++) {
        rawFileBytes = rawRound(log, round, n, rawTicks, rawDir, raw);
        for (RunnerRuns runs : byRunner.values()) {
          runnerRound(log, round, options, workDir, runs);
        }
      }
      List<RunnerResult> results = new ArrayList<>();
      for (RunnerRuns runs : byRunner.values()) {
        results.add(runs.result(n));
      }

      BenchmarkResult result =
          new BenchmarkResult(
              n,
              symbols,
              days,
              parallelism,
              options.getRowsPerSourceElement(),
              options.getRepeats(),
              Measurement.bestOf(n, raw.write),
              Measurement.bestOf(n, raw.read),
              rawFileBytes,
              results,
              Environment.capture(loadAtStart));
      return result;
    } finally {
      if (tempWorkDir) {
        Directories.deleteRecursively(workDir);
      }
    }
  }

  /** The seconds of each timed run of a write and a read. */
  private static final class Steps {
    final List<Double> write = new ArrayList<>();
    final List<Double> read = new ArrayList<>();
  }

  /** One runner's warm-up figures, timed runs and the verified figures of its last run. */
  private static final class RunnerRuns {
    final String runner;
    final Measurement warmupWrite;
    final Measurement warmupRead;
    final Steps steps = new Steps();
    RunnerBench.WriteRun lastWrite;
    RunnerBench.ReadRun lastRead;

    RunnerRuns(String runner, Measurement warmupWrite, Measurement warmupRead) {
      this.runner = runner;
      this.warmupWrite = warmupWrite;
      this.warmupRead = warmupRead;
    }

    RunnerResult result(long n) {
      return new RunnerResult(
          runner,
          warmupWrite,
          warmupRead,
          Measurement.bestOf(n, steps.write),
          Measurement.bestOf(n, steps.read),
          lastWrite.tableVersion(),
          lastWrite.dataFiles(),
          lastWrite.rowsInLog(),
          lastRead.rows());
    }
  }

  private static void warmUpRaw(PrintStream log, Options options, SyntheticTicks ticks, Path dir)
      throws IOException {
    log.printf(
        Locale.ROOT, "[raw] warm-up write and read of %,d rows ...%n", options.getWarmupRows());
    Path warmupFile = dir.resolve("warmup.snappy.parquet");
    RawParquetBaseline.write(ticks, options.getWarmupRows(), warmupFile);
    RawParquetBaseline.read(warmupFile, ticks.schema());
    Files.delete(warmupFile);
  }

  /** One timed raw write and read of a new file; returns the file's size. */
  private static long rawRound(
      PrintStream log, int round, long n, SyntheticTicks ticks, Path dir, Steps raw)
      throws IOException {
    Path file = dir.resolve("ticks-" + round + ".snappy.parquet");
    log.printf(Locale.ROOT, "[raw] round %d: parquet-avro write of %,d rows ...%n", round, n);
    long t0 = System.nanoTime();
    RawParquetBaseline.write(ticks, n, file);
    double write = seconds(t0);
    report(log, "[raw] write", new Measurement(n, write));
    long fileBytes = Files.size(file);

    log.printf(Locale.ROOT, "[raw] round %d: parquet-avro read ...%n", round);
    t0 = System.nanoTime();
    long rows = RawParquetBaseline.read(file, ticks.schema());
    double read = seconds(t0);
    if (rows != n) {
      throw new IllegalStateException("The raw read found " + rows + " rows; it wrote " + n);
    }
    report(log, "[raw] read", new Measurement(n, read));
    raw.write.add(write);
    raw.read.add(read);
    Files.delete(file);
    return fileBytes;
  }

  private static RunnerRuns warmUpRunner(
      PrintStream log, String runner, Options options, Path workDir) throws IOException {
    Path dir = workDir.resolve(runner);
    Directories.deleteRecursively(dir);
    String lake = dir.resolve("warmup-lake").toString();
    long rows = options.getWarmupRows();
    log.printf(Locale.ROOT, "[%s] warm-up write and read of %,d rows ...%n", runner, rows);
    RunnerBench.WriteRun w =
        RunnerBench.write(runner, options.getWorkers(), lake, generator(options, rows));
    RunnerBench.ReadRun r = RunnerBench.read(runner, options.getWorkers(), lake, rows);
    Measurement write = new Measurement(w.rows(), w.seconds());
    Measurement read = new Measurement(r.rows(), r.seconds());
    report(log, "[" + runner + "] warm-up write", write);
    report(log, "[" + runner + "] warm-up read", read);
    Directories.deleteRecursively(Path.of(lake));
    return new RunnerRuns(runner, write, read);
  }

  /** One timed DeltaIO write to a fresh table (commit included) and read of it, verified. */
  private static void runnerRound(
      PrintStream log, int round, Options options, Path workDir, RunnerRuns runs)
      throws IOException {
    String runner = runs.runner;
    long n = options.getRows();
    String lake = workDir.resolve(runner).resolve("lake-" + round).toString();
    log.printf(Locale.ROOT, "[%s] round %d: DeltaIO write of %,d rows ...%n", runner, round, n);
    RunnerBench.WriteRun w =
        RunnerBench.write(runner, options.getWorkers(), lake, generator(options, n));
    report(log, "[" + runner + "] write", new Measurement(w.rows(), w.seconds()));
    log.printf(
        Locale.ROOT,
        "[%s]   verified: version %d, %d data files, %,d rows in the log%n",
        runner,
        w.tableVersion(),
        w.dataFiles(),
        w.rowsInLog());
    log.printf(Locale.ROOT, "[%s] round %d: DeltaIO read ...%n", runner, round);
    RunnerBench.ReadRun r = RunnerBench.read(runner, options.getWorkers(), lake, n);
    report(log, "[" + runner + "] read", new Measurement(r.rows(), r.seconds()));
    log.printf(Locale.ROOT, "[%s]   verified: %,d rows counted%n", runner, r.rows());
    runs.steps.write.add(w.seconds());
    runs.steps.read.add(r.seconds());
    runs.lastWrite = w;
    runs.lastRead = r;
    Directories.deleteRecursively(Path.of(lake));
  }

  /** The Beam source of the synthetic rows, with the full table schema (partition included). */
  private static SyntheticTicks.GenerateTicks generator(Options options, long rows) {
    return new SyntheticTicks.GenerateTicks(
        RunnerBench.TABLE.schema(),
        rows,
        options.getSymbols(),
        options.getDays(),
        options.getRowsPerSourceElement());
  }

  static List<String> parseRunners(String csv) {
    List<String> runners = new ArrayList<>();
    for (String r : csv.split(",")) {
      String name = r.trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty()) {
        RunnerBench.options(name, 1); // fails early, before any timing, on an unknown name
        runners.add(name);
      }
    }
    return runners;
  }

  /** The table schema without its partition columns: the columns Delta stores in Parquet. */
  static Schema withoutPartitionColumns(Schema schema) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!RunnerBench.TABLE.partitionColumns().contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void report(PrintStream log, String step, Measurement m) {
    log.printf(
        Locale.ROOT,
        "%-26s %,12d rows %8.2f s %,12d rows/s%n",
        step,
        m.rows(),
        m.seconds(),
        Math.round(m.rowsPerSecond()));
  }
}

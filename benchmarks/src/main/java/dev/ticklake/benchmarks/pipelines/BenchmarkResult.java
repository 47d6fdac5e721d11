package dev.ticklake.benchmarks.pipelines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one benchmark run: the raw parquet-avro baseline, each runner's DeltaIO write and
 * read, the ratios DeltaIO/raw, and the machine they were measured on. Rates are rows per second of
 * wall-clock time, of the best of {@code repeats} runs (the same rule for raw and DeltaIO); ratios
 * at or above the target ({@value #TARGET_RATIO}) meet the acceptance target.
 */
public record BenchmarkResult(
    long rows,
    int symbols,
    int days,
    int workers,
    long rowsPerSourceElement,
    int repeats,
    Measurement rawWrite,
    Measurement rawRead,
    long rawFileBytes,
    List<RunnerResult> runners,
    Environment environment) {

  /** DeltaIO must reach this fraction of the raw rate, on the faster runner. */
  public static final double TARGET_RATIO = 0.5;

  /**
   * {@code rows} processed in {@code seconds} of wall-clock time: the best (shortest) of the
   * repetitions in {@code runSeconds}, all of which processed the same rows.
   */
  public record Measurement(long rows, double seconds, List<Double> runSeconds) {
    /** A single run. */
    Measurement(long rows, double seconds) {
      this(rows, seconds, List.of(seconds));
    }

    /** The best of several runs of the same work. */
    static Measurement bestOf(long rows, List<Double> runSeconds) {
      double best = runSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      return new Measurement(rows, best, List.copyOf(runSeconds));
    }

    public double rowsPerSecond() {
      return seconds > 0 ? rows / seconds : 0;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rows", rows);
      m.put("seconds", round(seconds, 3));
      m.put("rowsPerSecond", Math.round(rowsPerSecond()));
      if (runSeconds.size() > 1) {
        m.put("runSeconds", runSeconds.stream().map(s -> round(s, 3)).toList());
      }
      return m;
    }
  }

  /**
   * One runner's DeltaIO figures, verified: {@code rowsInLog} (sum of the log's per-file {@code
   * numRecords}) and {@code rowsRead} (counted by the read pipeline) both equal the rows written.
   * The warm-up figures are the same pipelines on a small input: mostly fixed start-up cost.
   */
  public record RunnerResult(
      String runner,
      Measurement warmupWrite,
      Measurement warmupRead,
      Measurement write,
      Measurement read,
      long tableVersion,
      long dataFiles,
      long rowsInLog,
      long rowsRead) {}

  public double writeRatio(RunnerResult r) {
    return r.write().rowsPerSecond() / rawWrite.rowsPerSecond();
  }

  public double readRatio(RunnerResult r) {
    return r.read().rowsPerSecond() / rawRead.rowsPerSecond();
  }

  /** The best write ratio over the runners (0 when none ran). */
  public double bestWriteRatio() {
    return runners.stream().mapToDouble(this::writeRatio).max().orElse(0);
  }

  /** The best read ratio over the runners (0 when none ran). */
  public double bestReadRatio() {
    return runners.stream().mapToDouble(this::readRatio).max().orElse(0);
  }

  /** The JSON document written to {@code --out}: plain maps, lists and numbers. */
  public Map<String, Object> toJson() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", "deltaio");
    doc.put("timestamp", environment.timestamp());
    doc.put("gitCommit", environment.gitCommit());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("rows", rows);
    config.put("symbols", symbols);
    config.put("days", days);
    config.put("workers", workers);
    config.put("rowsPerSourceElement", rowsPerSourceElement);
    config.put("repeats", repeats);
    config.put("table", RunnerBench.TABLE.id());
    doc.put("config", config);
    doc.put("environment", environment.toJson());

    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("write", rawWrite.toJson());
    raw.put("read", rawRead.toJson());
    raw.put("fileBytes", rawFileBytes);
    doc.put("rawParquetAvro", raw);

    Map<String, Object> byRunner = new LinkedHashMap<>();
    for (RunnerResult r : runners) {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> write = r.write().toJson();
      write.put("ratioToRaw", round(writeRatio(r), 3));
      Map<String, Object> read = r.read().toJson();
      read.put("ratioToRaw", round(readRatio(r), 3));
      m.put("write", write);
      m.put("read", read);
      m.put("warmupWrite", r.warmupWrite().toJson());
      m.put("warmupRead", r.warmupRead().toJson());
      Map<String, Object> verified = new LinkedHashMap<>();
      verified.put("tableVersion", r.tableVersion());
      verified.put("dataFiles", r.dataFiles());
      verified.put("rowsInLog", r.rowsInLog());
      verified.put("rowsRead", r.rowsRead());
      m.put("verified", verified);
      byRunner.put(r.runner(), m);
    }
    doc.put("deltaio", byRunner);

    Map<String, Object> target = new LinkedHashMap<>();
    target.put("ratio", TARGET_RATIO);
    target.put("bestWriteRatio", round(bestWriteRatio(), 3));
    target.put("bestReadRatio", round(bestReadRatio(), 3));
    target.put("writeMet", bestWriteRatio() >= TARGET_RATIO);
    target.put("readMet", bestReadRatio() >= TARGET_RATIO);
    doc.put("target", target);
    return doc;
  }

  /** A compact fixed-width table of the figures, for the console. */
  public String table() {
    List<String> lines = new ArrayList<>();
    String fmt = "%-22s %10s %9s %12s %9s";
    lines.add(String.format(Locale.ROOT, fmt, "step", "rows", "seconds", "rows/s", "vs raw"));
    lines.add(line(fmt, "raw parquet-avro write", rawWrite, null));
    lines.add(line(fmt, "raw parquet-avro read", rawRead, null));
    for (RunnerResult r : runners) {
      lines.add(line(fmt, "DeltaIO " + r.runner() + " write", r.write(), writeRatio(r)));
      lines.add(line(fmt, "DeltaIO " + r.runner() + " read", r.read(), readRatio(r)));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "best ratio: write %.2f, read %.2f (target %.2f)  |  peak RSS %d MiB, heap max %d MiB,"
                + " %d cores, Java %s, load avg %.1f -> %.1f",
            bestWriteRatio(),
            bestReadRatio(),
            TARGET_RATIO,
            environment.peakRssBytes() >> 20,
            environment.heapMaxBytes() >> 20,
            environment.cores(),
            environment.javaVersion(),
            environment.loadAverageAtStart(),
            environment.loadAverageAtEnd()));
    return String.join(System.lineSeparator(), lines);
  }

  private static String line(String fmt, String step, Measurement m, Double ratio) {
    return String.format(
        Locale.ROOT,
        fmt,
        step,
        m.rows(),
        String.format(Locale.ROOT, "%.2f", m.seconds()),
        String.format(Locale.ROOT, "%,d", Math.round(m.rowsPerSecond())),
        ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio));
  }

  static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}

package dev.ticklake.benchmarks.pipelines;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/** Helpers shared by the pipeline suites (ingest, medallion). */
final class Suites {
  private Suites() {}

  /**
   * Sets {@code runner} on existing job options, tuned as {@link RunnerBench#options} does:
   * DirectRunner with {@code workers} threads and the test-time checks off; FlinkRunner {@code
   * [local]} with parallelism {@code workers} and object reuse.
   */
  static <T extends PipelineOptions> T configure(T options, String runner, int workers) {
    switch (runner) {
      case "direct" -> {
        DirectOptions o = options.as(DirectOptions.class);
        o.setRunner(DirectRunner.class);
        o.setTargetParallelism(workers);
        o.setBlockOnRun(true);
        o.setEnforceImmutability(false);
        o.setEnforceEncodability(false);
      }
      case "flink" -> {
        FlinkPipelineOptions o = options.as(FlinkPipelineOptions.class);
        o.setRunner(FlinkRunner.class);
        o.setFlinkMaster("[local]");
        o.setParallelism(workers);
        o.setStreaming(false);
        o.setObjectReuse(true);
      }
      case "flink-cluster" -> {
        FlinkPipelineOptions o = options.as(FlinkPipelineOptions.class);
        o.setRunner(FlinkRunner.class);
        FlinkClusterTarget.configure(o, workers);
      }
      default -> throw new IllegalArgumentException("Unknown runner '" + runner + "'");
    }
    return options;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static double best(List<Double> seconds) {
    return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  /** The median (the mean of the two middle values for an even count); NaN for none. */
  static double median(List<Double> seconds) {
    List<Double> sorted = seconds.stream().sorted().toList();
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** {@code {events, seconds, eventsPerSecond, runSeconds}} of the best run. */
  static Map<String, Object> rate(long events, List<Double> runSeconds) {
    double best = best(runSeconds);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", events);
    m.put("seconds", BenchmarkResult.round(best, 3));
    m.put("eventsPerSecond", Math.round(events / best));
    m.put("runSeconds", runSeconds.stream().map(s -> BenchmarkResult.round(s, 3)).toList());
    double median = median(runSeconds);
    m.put("medianSeconds", BenchmarkResult.round(median, 3));
    m.put("medianEventsPerSecond", Math.round(events / median));
    return m;
  }

  static void log(PrintStream out, String format, Object... args) {
    out.printf(
        Locale.ROOT,
        "%s " + format + "%n",
        prepend(LocalTime.now().truncatedTo(ChronoUnit.MILLIS), args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** A table row: step, events, seconds, events/s and (if not null) the ratio to the target. */
  static String row(String fmt, String step, long n, double seconds, Double ratio) {
    return String.format(
        Locale.ROOT,
        fmt,
        step,
        String.format(Locale.ROOT, "%,d", n),
        String.format(Locale.ROOT, "%.2f", seconds),
        String.format(Locale.ROOT, "%,d", Math.round(n / seconds)),
        ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio));
  }

  static void copyRecursively(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + from + " to " + to, e);
    }
  }
}

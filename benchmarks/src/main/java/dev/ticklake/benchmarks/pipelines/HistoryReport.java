package dev.ticklake.benchmarks.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code history} suite's JSON section and console table: per case the seconds of each step,
 * end to end (feed publish + the worker process from start to exit; the warm-JVM Gold case: the
 * median timed round), peak RSS, and the target with its verdict. A target is judged only
 * at the size it is stated for (otherwise "sized down").
 */
final class HistoryReport {
  private HistoryReport() {}

  static final long GIB = 1L << 30;

  /** The suite's output. */
  record Output(Map<String, Object> json, String table) {}

  /** The target of a case: seconds, peak RSS (0: none), the size it is stated for. */
  record Target(double seconds, long rssBytes, int symbols, long events) {}

  /**
   * One case. {@code endToEndSeconds} is what the target is judged on; {@code otherSeconds} the
   * worker process's time outside the jobs (JVM start, class loading, Flink start and stop).
   */
  record Run(
      String name,
      int symbols,
      int days,
      String interval,
      long events,
      double publishSeconds,
      double bronzeSeconds,
      double silverSeconds,
      double goldSeconds,
      double processSeconds,
      double endToEndSeconds,
      List<Double> roundSeconds,
      long peakRssBytes,
      Map<String, long[]> tables) {

    static Run of(
        String name,
        int symbols,
        int days,
        String interval,
        long events,
        double publish,
        JsonNode worker,
        double process,
        Map<String, long[]> tables) {
      return new Run(
          name,
          symbols,
          days,
          interval,
          events,
          publish,
          worker.path("bronze").path("seconds").asDouble(),
          worker.path("silver").path("seconds").asDouble(),
          worker.path("gold").path("seconds").asDouble(),
          process,
          publish + process,
          List.of(),
          worker.path("peakRssBytes").asLong(),
          tables);
    }

    /** Gold in this JVM: the median of the timed rounds (after one warm-up round). */
    static Run warm(
        int symbols,
        long events,
        List<Double> rounds,
        SuiteEnvironment env,
        Map<String, long[]> tables) {
      double median = Suites.median(rounds);
      long rss = ((Number) env.toJson().get("peakRssBytes")).longValue();
      return new Run(
          "live-warm",
          symbols,
          1,
          "trades",
          events,
          0,
          0,
          0,
          median,
          0,
          median,
          List.copyOf(rounds),
          rss,
          tables);
    }

    double otherSeconds() {
      return processSeconds == 0 ? 0 : processSeconds - bronzeSeconds - silverSeconds - goldSeconds;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "publish %.2f s, bronze %.2f s, silver %.2f s, gold %.2f s, worker process %.2f s"
              + " (%.2f s outside the jobs), end to end %.2f s, peak RSS %d MiB; verified",
          publishSeconds,
          bronzeSeconds,
          silverSeconds,
          goldSeconds,
          processSeconds,
          otherSeconds(),
          endToEndSeconds,
          peakRssBytes >> 20);
    }
  }

  /** The targets (2 cores, faster runner). */
  static Target target(String name) {
    return switch (name) {
      case "daily" -> new Target(180, 4 * GIB, 500, 0);
      case "single" -> new Target(20, 0, 1, 0);
      case "minute" -> new Target(60, 0, 50, 0);
      case "live-process" -> new Target(6, 0, 50, 2_000_000);
      case "live-warm" -> new Target(2.5, 0, 50, 2_000_000);
      default -> throw new IllegalArgumentException("No history case " + name);
    };
  }

  /** Whether a run is of the size its target is stated for (years/months from the options). */
  static boolean fullSize(Run r, Benchmark.Options o) {
    Target t = target(r.name());
    return switch (r.name()) {
      case "daily", "single" -> r.symbols() == t.symbols() && o.getHistoryYears() == 20;
      case "minute" -> r.symbols() == t.symbols() && o.getHistoryMonths() == 3;
      default -> r.symbols() == t.symbols() && r.events() == t.events();
    };
  }

  /** "met", "NOT met" or "sized down" (not judged). */
  static String verdict(Run r, boolean fullSize) {
    if (!fullSize) {
      return "sized down";
    }
    Target t = target(r.name());
    boolean met =
        r.endToEndSeconds() <= t.seconds()
            && (t.rssBytes() == 0 || r.peakRssBytes() <= t.rssBytes());
    return met ? "met" : "NOT met";
  }

  static Output of(Benchmark.Options o, List<Run> runs, SuiteEnvironment env) {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("runner", o.getHistoryRunner());
    config.put("workers", o.getWorkers());
    config.put("workerJavaOpts", o.getHistoryJavaOpts());
    config.put("end", HistoryBench.END.toString());
    json.put("config", config);
    Map<String, Object> cases = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    String fmt = "%-13s %-22s %10s %8s %8s %8s %8s %8s %9s %8s %9s %-10s";
    lines.add("== history ==");
    lines.add(
        String.format(
            Locale.ROOT,
            fmt,
            "case",
            "size",
            "events",
            "publish",
            "bronze",
            "silver",
            "gold",
            "other",
            "total s",
            "target",
            "RSS MiB",
            "verdict"));
    for (Run r : runs) {
      boolean full = fullSize(r, o);
      cases.put(r.name(), json(r, full));
      Target t = target(r.name());
      lines.add(
          String.format(
              Locale.ROOT,
              fmt,
              r.name(),
              size(r),
              String.format("%,d", r.events()),
              f(r.publishSeconds()),
              f(r.bronzeSeconds()),
              f(r.silverSeconds()),
              f(r.goldSeconds()),
              f(r.otherSeconds()),
              f(r.endToEndSeconds()),
              "<= " + t.seconds() + (t.rssBytes() > 0 ? ", 4 GiB" : ""),
              r.peakRssBytes() >> 20,
              verdict(r, full)));
    }
    json.put("cases", cases);
    json.put("suiteEnvironment", env.toJson());
    lines.add(
        "total s = publish + the worker process from start to exit (other = its time outside"
            + " the jobs); live-warm: median Gold round in the bench JVM "
            + roundsOf(runs)
            + "; RSS: the worker process's peak (live-warm: the bench JVM's)");
    lines.add(env.line(" (bench JVM: broker, feed, warm Gold)"));
    return new Output(json, String.join(System.lineSeparator(), lines));
  }

  private static String roundsOf(List<Run> runs) {
    return runs.stream()
        .filter(r -> r.name().equals("live-warm"))
        .map(r -> r.roundSeconds().stream().map(HistoryReport::f).toList().toString())
        .findFirst()
        .orElse("");
  }

  private static Map<String, Object> json(Run r, boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("symbols", r.symbols());
    m.put("tradingDays", r.days());
    m.put("interval", r.interval());
    m.put("events", r.events());
    m.put("publishSeconds", round(r.publishSeconds()));
    m.put("bronzeSeconds", round(r.bronzeSeconds()));
    m.put("silverSeconds", round(r.silverSeconds()));
    m.put("goldSeconds", round(r.goldSeconds()));
    m.put("workerProcessSeconds", round(r.processSeconds()));
    m.put("outsideJobsSeconds", round(r.otherSeconds()));
    m.put("endToEndSeconds", round(r.endToEndSeconds()));
    if (!r.roundSeconds().isEmpty()) {
      m.put("roundSeconds", r.roundSeconds().stream().map(HistoryReport::round).toList());
    }
    m.put("peakRssBytes", r.peakRssBytes());
    Map<String, Object> tables = new LinkedHashMap<>();
    r.tables().forEach((k, v) -> tables.put(k, Map.of("rows", v[0], "files", v[1])));
    m.put("verifiedTables", tables);
    Target t = target(r.name());
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("seconds", t.seconds());
    if (t.rssBytes() > 0) {
      target.put("peakRssBytes", t.rssBytes());
    }
    target.put("judged", full);
    target.put("met", full ? verdict(r, true).equals("met") : null);
    m.put("target", target);
    return m;
  }

  private static String size(Run r) {
    return r.interval().equals("trades")
        ? r.symbols() + " sym x 1 day"
        : r.symbols() + " sym x " + r.days() + "d " + r.interval();
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static double round(double v) {
    return BenchmarkResult.round(v, 3);
  }
}

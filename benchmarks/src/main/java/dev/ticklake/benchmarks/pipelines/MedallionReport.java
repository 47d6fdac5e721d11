package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.best;
import static dev.ticklake.benchmarks.pipelines.Suites.median;
import static dev.ticklake.benchmarks.pipelines.Suites.row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The medallion suite's JSON section and console table, from its timed passes. Targets are judged
 * on the median round of the faster runner: on a 2-core machine one round varies by ±25%, so the
 * best round says little about what a user gets.
 */
final class MedallionReport {
  private static final String FMT = "%-28s %10s %8s %12s %9s";

  private final long events;
  private final long incrementalEvents;
  private final List<String> lines = new ArrayList<>();
  private double bestSilver = 0;
  private double bestPass = Double.MAX_VALUE;
  private double medianSilver = 0;
  private double medianPass = Double.MAX_VALUE;

  private MedallionReport(long events, long incrementalEvents) {
    this.events = events;
    this.incrementalEvents = incrementalEvents;
  }

  /** The suite's JSON section and table of a medallion suite run. */
  record Output(Map<String, Object> json, String table) {}

  static Output of(
      long events,
      long incrementalEvents,
      Map<String, Object> config,
      Map<String, List<MedallionBench.Pass>> byRunner,
      Map<String, List<MedallionBench.Increment>> increments,
      SuiteEnvironment env) {
    MedallionReport r = new MedallionReport(events, incrementalEvents);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config);
    r.lines.add("== medallion ==");
    r.lines.add(
        String.format(Locale.ROOT, FMT, "step", "events", "seconds", "events/s", "/target"));
    Map<String, Object> runnersJson = new LinkedHashMap<>();
    for (Map.Entry<String, List<MedallionBench.Pass>> e : byRunner.entrySet()) {
      runnersJson.put(e.getKey(), r.runner(e.getKey(), e.getValue(), increments.get(e.getKey())));
    }
    json.put("runners", runnersJson);
    boolean judged = events == Benchmark.TARGET_EVENTS;
    json.put("target", r.target(judged));
    json.put("suiteEnvironment", env.toJson());
    r.lines.add(r.targetLine(judged, env));
    r.lines.add("(/target: rate / target rate; for the pass, 16 s / seconds: >= 1 meets it)");
    return new Output(json, String.join(System.lineSeparator(), r.lines));
  }

  /** One runner's JSON, and its table rows; updates the best and median aggregates. */
  private Map<String, Object> runner(
      String runner, List<MedallionBench.Pass> passes, List<MedallionBench.Increment> inc) {
    List<Double> silver = passes.stream().map(MedallionBench.Pass::silverSeconds).toList();
    List<Double> gold = passes.stream().map(MedallionBench.Pass::goldSeconds).toList();
    List<Double> pass = passes.stream().map(MedallionBench.Pass::totalSeconds).toList();
    double silverRate = events / best(silver);
    bestSilver = Math.max(bestSilver, silverRate);
    bestPass = Math.min(bestPass, best(pass));
    medianSilver = Math.max(medianSilver, events / median(silver));
    medianPass = Math.min(medianPass, median(pass));
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> s = Suites.rate(events, silver);
    s.put("ratioToTarget", BenchmarkResult.round(silverRate / Benchmark.SILVER_TARGET, 3));
    m.put("refineSilver", s);
    s.put("cpuSeconds", rounded(passes.stream().map(MedallionBench.Pass::silverCpuSeconds)));
    Map<String, Object> g = Suites.rate(events, gold);
    g.put("cpuSeconds", rounded(passes.stream().map(MedallionBench.Pass::goldCpuSeconds)));
    m.put("buildGold", g);
    Map<String, Object> p = Suites.rate(events, pass);
    p.put("ratioToTarget", BenchmarkResult.round(Benchmark.PASS_TARGET_SECONDS / best(pass), 3));
    m.put("bronzeToGold", p);
    if (inc != null) {
      m.put("incrementalBatch", incremental(runner, inc));
    }
    MedallionBench.Pass lastPass = passes.get(passes.size() - 1);
    m.put("verified", Map.of("silverRows", lastPass.silverRows(), "goldRows", lastPass.gold()));
    lines.add(
        row(
            FMT,
            "refine silver " + runner,
            events,
            best(silver),
            silverRate / Benchmark.SILVER_TARGET));
    lines.add(row(FMT, "build gold " + runner, events, best(gold), null));
    lines.add(
        row(
            FMT,
            "bronze->silver->gold " + runner,
            events,
            best(pass),
            Benchmark.PASS_TARGET_SECONDS / best(pass)));
    return m;
  }

  /** The incremental batches' JSON and table rows; the first batch is the untimed warm-up. */
  private Map<String, Object> incremental(String runner, List<MedallionBench.Increment> inc) {
    List<MedallionBench.Increment> warm = inc.subList(1, inc.size());
    List<Double> incSilver = warm.stream().map(MedallionBench.Increment::silverSeconds).toList();
    List<Double> incGold = warm.stream().map(MedallionBench.Increment::goldSeconds).toList();
    Map<String, Object> im = new LinkedHashMap<>();
    im.put("eventsPerBatch", incrementalEvents);
    im.put("onTopOfRows", events);
    im.put(
        "warmUpBatch",
        Map.of(
            "silverSeconds",
            BenchmarkResult.round(inc.get(0).silverSeconds(), 3),
            "goldSeconds",
            BenchmarkResult.round(inc.get(0).goldSeconds(), 3)));
    im.put("silverSecondsPerBatch", rounded(incSilver.stream()));
    im.put("goldSecondsPerBatch", rounded(incGold.stream()));
    im.put(
        "silverCpuSecondsPerBatch",
        rounded(warm.stream().map(MedallionBench.Increment::silverCpuSeconds)));
    im.put(
        "goldCpuSecondsPerBatch",
        rounded(warm.stream().map(MedallionBench.Increment::goldCpuSeconds)));
    im.put("bestSilverSeconds", BenchmarkResult.round(best(incSilver), 3));
    im.put("bestGoldSeconds", BenchmarkResult.round(best(incGold), 3));
    im.put("medianSilverSeconds", BenchmarkResult.round(median(incSilver), 3));
    im.put("medianGoldSeconds", BenchmarkResult.round(median(incGold), 3));
    lines.add(row(FMT, "incr. silver " + runner, incrementalEvents, best(incSilver), null));
    lines.add(row(FMT, "incr. gold " + runner, incrementalEvents, best(incGold), null));
    return im;
  }

  private Map<String, Object> target(boolean judged) {
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("silverEventsPerSecond", Benchmark.SILVER_TARGET);
    target.put("bestSilver", Math.round(bestSilver));
    target.put("judgedOn", judged ? "median round of the faster runner" : "not judged");
    target.put("medianSilver", Math.round(medianSilver));
    target.put("silverMet", judged ? silverMet() : null);
    target.put("passSeconds", Benchmark.PASS_TARGET_SECONDS);
    target.put("bestPass", BenchmarkResult.round(bestPass, 3));
    target.put("medianPass", BenchmarkResult.round(medianPass, 3));
    target.put("passMet", judged ? passMet() : null);
    return target;
  }

  private String targetLine(boolean judged, SuiteEnvironment env) {
    return judged
        ? String.format(
            Locale.ROOT,
            "targets (median round): silver %,d events/s, >= %,d %s; pass %.2f s, <= %.0f s %s"
                + "  |  %s",
            Math.round(medianSilver),
            Math.round(Benchmark.SILVER_TARGET),
            silverMet() ? "met" : "MISSED",
            medianPass,
            Benchmark.PASS_TARGET_SECONDS,
            passMet() ? "met" : "MISSED",
            env.line())
        : String.format(
            Locale.ROOT,
            "targets: not judged (they are for %,d events, this run had %,d)  |  %s",
            Benchmark.TARGET_EVENTS,
            events,
            env.line());
  }

  private boolean silverMet() {
    return medianSilver >= Benchmark.SILVER_TARGET;
  }

  private boolean passMet() {
    return medianPass <= Benchmark.PASS_TARGET_SECONDS;
  }

  private static List<Double> rounded(java.util.stream.Stream<Double> seconds) {
    return seconds.map(x -> BenchmarkResult.round(x, 3)).toList();
  }
}

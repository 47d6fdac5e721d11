package dev.ticklake.benchmarks.pipelines;

import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeatureSchema;
import dev.ticklake.transforms.features.FeatureSeries;
import dev.ticklake.transforms.indicators.Bar;
import dev.ticklake.transforms.training.Dataset;
import dev.ticklake.transforms.training.Evaluation;
import dev.ticklake.transforms.training.ModelKind;
import dev.ticklake.transforms.training.WalkForward;
import dev.ticklake.transforms.training.WalkForwardEvaluation;
import dev.ticklake.transforms.training.XgbParams;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The {@code training} suite: synthetic daily bars of {@code symbols} × {@code years} (252 bars a
 * year, random walks), then, timed in this process (the math the Beam steps run on one worker per
 * symbol or model, without Beam or Delta I/O): every symbol's features, one walk-forward of the
 * direction classifier (5 folds, expanding, purge 1), and scoring every complete row with the final
 * model. Reports rows, seconds, rows/s and peak RSS; the out-of-sample AUC is printed as a sanity
 * check (random walks: about 0.5).
 */
final class TrainingBench {
  private TrainingBench() {}

  /** The suite's JSON section and console table. */
  record Result(Map<String, Object> json, String table) {}

  static Result run(PrintStream out, int symbols, int years) {
    SuiteEnvironment env = SuiteEnvironment.start();
    int bars = 252 * years;
    List<List<Bar>> series = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      series.add(randomWalk(bars, s));
    }
    long rows = (long) symbols * bars;
    Suites.log(out, "training: %d symbols x %d bars = %d rows", symbols, bars, rows);

    long t0 = System.nanoTime();
    List<FeatureRow> features = new ArrayList<>((int) rows);
    for (int s = 0; s < symbols; s++) {
      features.addAll(FeatureSeries.compute("S" + s, series.get(s), true));
    }
    double featureSeconds = Suites.seconds(t0);
    Suites.log(out, "training: features %.3f s", featureSeconds);
    series.clear();

    long t1 = System.nanoTime();
    Dataset data = Dataset.of(features);
    Evaluation e =
        WalkForwardEvaluation.run(
            ModelKind.DIRECTION,
            data,
            WalkForward.expanding(5, FeatureSchema.LABEL_HORIZON_BARS),
            XgbParams.defaults(42),
            FeatureSchema.LABEL_HORIZON_BARS);
    double trainSeconds = Suites.seconds(t1);
    Suites.log(
        out, "training: walk-forward (5 folds + final) %.3f s, OOS %s", trainSeconds, e.oos());

    int[] all = data.rowsInSteps(0, data.steps());
    long t2 = System.nanoTime();
    double[] p = e.model().predict(data, all);
    double scoreSeconds = Suites.seconds(t2);
    env.end();

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("symbols", symbols);
    json.put("bars", rows);
    json.put("features", FeatureSchema.NAMES.size());
    json.put("featureSeconds", BenchmarkResult.round(featureSeconds, 3));
    json.put("featureRowsPerSecond", Math.round(rows / featureSeconds));
    json.put("trainingRows", data.size());
    json.put("walkForwardSeconds", BenchmarkResult.round(trainSeconds, 3));
    json.put("oosAuc", BenchmarkResult.round(e.oos().get("auc"), 4));
    json.put("scoredRows", p.length);
    json.put("scoreSeconds", BenchmarkResult.round(scoreSeconds, 3));
    json.put("scoreRowsPerSecond", Math.round(p.length / scoreSeconds));
    json.put("suiteEnvironment", env.toJson());
    String table =
        String.format(
            Locale.ROOT,
            "== training ==%n"
                + "%-34s %12s %10s %14s%n"
                + "%-34s %12d %10.3f %14d%n"
                + "%-34s %12d %10.3f %14s%n"
                + "%-34s %12d %10.3f %14d%n"
                + "OOS AUC %.4f (random walks)%n%s",
            "step",
            "rows",
            "seconds",
            "rows/s",
            "features (" + FeatureSchema.NAMES.size() + ")",
            rows,
            featureSeconds,
            Math.round(rows / featureSeconds),
            "walk-forward classifier (5 folds)",
            data.size(),
            trainSeconds,
            "-",
            "scoring",
            p.length,
            scoreSeconds,
            Math.round(p.length / scoreSeconds),
            e.oos().get("auc"),
            env.line());
    return new Result(json, table);
  }

  private static List<Bar> randomWalk(int n, long seed) {
    Random r = new Random(seed);
    List<Bar> bars = new ArrayList<>(n);
    double close = 50 + r.nextInt(200);
    Instant start = Instant.parse("2015-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      double open = close * (1 + 0.005 * r.nextGaussian());
      close = Math.max(0.01, open * (1 + 0.015 * r.nextGaussian()));
      double high = Math.max(open, close) * (1 + 0.004 * r.nextDouble());
      double low = Math.min(open, close) * (1 - 0.004 * r.nextDouble());
      bars.add(
          Bar.of(
              start.plusSeconds(86_400L * i), open, high, low, close, 1000 + r.nextInt(100_000)));
    }
    return bars;
  }
}

package dev.ticklake.pipelines.bench;

import static dev.ticklake.pipelines.bench.Suites.seconds;

import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.RefineSilverJob;
import dev.ticklake.transforms.delta.CommitReport;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** One bronze → silver → gold pass over a lake whose Bronze table holds the benchmark events. */
final class MedallionBench {
  private MedallionBench() {}

  /** Seconds of the Silver and Gold runs of one pass, and what they committed. */
  record Pass(double silverSeconds, double goldSeconds, long silverRows, Map<String, Long> gold) {
    double totalSeconds() {
      return silverSeconds + goldSeconds;
    }
  }

  /**
   * Runs {@link RefineSilverJob#run} then {@link BuildGoldJob#run} on {@code lakeRoot}; when {@code
   * events > 0}, verifies: every Bronze row read and new in Silver, nothing quarantined, and every
   * Gold table committed with the exact row counts of the synthetic stream ({@code symbols} symbols
   * round-robin, 1 ms apart from a minute boundary, one day).
   */
  static Pass run(String runner, int workers, String lakeRoot, long events, int symbols) {
    RefineSilverJob.Options s = PipelineOptionsFactory.as(RefineSilverJob.Options.class);
    s.setLakeRoot(lakeRoot);
    s.setRunId("bench");
    Suites.configure(s, runner, workers);
    long t0 = System.nanoTime();
    RefineSilverJob.Result silver = RefineSilverJob.run(s);
    double silverSeconds = seconds(t0);

    BuildGoldJob.Options g = PipelineOptionsFactory.as(BuildGoldJob.Options.class);
    g.setLakeRoot(lakeRoot);
    g.setRunId("bench");
    Suites.configure(g, runner, workers);
    t0 = System.nanoTime();
    BuildGoldJob.Result gold = BuildGoldJob.run(g);
    double goldSeconds = seconds(t0);

    Map<String, Long> goldRows = new HashMap<>();
    for (CommitReport c : gold.commits()) {
      goldRows.put(c.table(), c.rowsCommitted());
    }
    if (events > 0) {
      verify(runner, silver, gold, goldRows, events, symbols);
    }
    return new Pass(silverSeconds, goldSeconds, silver.silverRowsWritten(), goldRows);
  }

  private static void verify(
      String runner,
      RefineSilverJob.Result silver,
      BuildGoldJob.Result gold,
      Map<String, Long> goldRows,
      long events,
      int symbols) {
    if (silver.status() != BatchStatus.COMMITTED
        || silver.bronzeRows() != events
        || silver.silverRowsWritten() != events
        || silver.quarantinedRows() != 0) {
      throw new IllegalStateException(runner + " Silver pass is wrong: " + silver);
    }
    long bars1m = 0;
    for (long m = 0; m * 60_000 < events; m++) {
      bars1m += Math.min(symbols, Math.min(60_000, events - m * 60_000));
    }
    Map<String, Long> expected = new HashMap<>();
    expected.put("gold/bars_1m", bars1m);
    expected.put("gold/bars_1d", (long) symbols);
    expected.put("gold/daily_metrics", (long) symbols);
    boolean committed =
        gold.status() == BatchStatus.COMMITTED
            && gold.commits().stream()
                .allMatch(
                    c ->
                        c.status() == dev.ticklake.transforms.delta.CommitOutcome.Status.COMMITTED
                            || c.table().equals("gold/anomalies"));
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      if (!e.getValue().equals(goldRows.get(e.getKey()))) {
        committed = false;
      }
    }
    if (!committed) {
      throw new IllegalStateException(
          runner + " Gold pass is wrong: expected rows " + expected + ", got " + gold);
    }
  }
}

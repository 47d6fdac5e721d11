package dev.ticklake.benchmarks.pipelines;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Load average and peak RSS over one benchmark suite: call {@link #start} first, {@link #end} last.
 * Shared by the pipeline suites and the orchestrator's {@code bench} suites.
 */
public final class SuiteEnvironment {
  private double loadAtStart;
  private double loadAtEnd;
  private long peakRssBytes;
  private boolean peakIsSuites;

  private SuiteEnvironment() {}

  /** Collects garbage, resets the peak RSS where Linux allows it, reads the load average. */
  public static SuiteEnvironment start() {
    SuiteEnvironment e = new SuiteEnvironment();
    System.gc();
    e.peakIsSuites = Environment.resetPeakRss();
    e.loadAtStart = Environment.readLoadAverage();
    return e;
  }

  public void end() {
    loadAtEnd = Environment.readLoadAverage();
    peakRssBytes = Environment.readPeakRss();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loadAverageAtStart", loadAtStart);
    m.put("loadAverageAtEnd", loadAtEnd);
    m.put("peakRssBytes", peakRssBytes);
    m.put("peakRssScope", peakIsSuites ? "this suite" : "the whole process");
    return m;
  }

  /** {@code peak RSS <n> MiB<what>, load avg a -> b}. */
  public String line(String what) {
    return String.format(
        Locale.ROOT,
        "peak RSS %d MiB%s, load avg %.1f -> %.1f",
        peakRssBytes >> 20,
        what,
        loadAtStart,
        loadAtEnd);
  }

  public String line() {
    return line("");
  }
}

package dev.ticklake.orchestrator.bench;

import dev.ticklake.pipelines.bench.Environment;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What every suite of the {@code bench} command reports besides its figures, as the pipelines'
 * suites do: the 1-minute load average at its start and end and this JVM's peak RSS ({@code VmHWM},
 * reset at the start of the suite where Linux allows it).
 */
final class Suite {
  private double loadAtStart;
  private double loadAtEnd;
  private long peakRssBytes;
  private boolean peakIsSuites;

  private Suite() {}

  static Suite start() {
    Suite s = new Suite();
    System.gc();
    s.peakIsSuites = Environment.resetPeakRss();
    s.loadAtStart = Environment.readLoadAverage();
    return s;
  }

  void end() {
    loadAtEnd = Environment.readLoadAverage();
    peakRssBytes = Environment.readPeakRss();
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loadAverageAtStart", loadAtStart);
    m.put("loadAverageAtEnd", loadAtEnd);
    m.put("peakRssBytes", peakRssBytes);
    m.put("peakRssScope", peakIsSuites ? "this suite" : "the whole process");
    return m;
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "peak RSS %d MiB (bench JVM), load avg %.1f -> %.1f",
        peakRssBytes >> 20,
        loadAtStart,
        loadAtEnd);
  }

  static void log(PrintStream out, String format, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = LocalTime.now().truncatedTo(ChronoUnit.MILLIS);
    System.arraycopy(args, 0, all, 1, args.length);
    out.printf(Locale.ROOT, "%s " + format + "%n", all);
  }
}

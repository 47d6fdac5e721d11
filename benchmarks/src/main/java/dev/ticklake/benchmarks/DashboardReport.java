package dev.ticklake.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard suite's figures against the target (a refresh's p95 ≤ {@value
 * #REFRESH_P95_TARGET_MS} ms and no errors): refresh and request latencies (p50/p95/max, and per
 * panel), errors, and the service's RSS.
 */
final class DashboardReport {
  static final double REFRESH_P95_TARGET_MS = 100;

  private DashboardReport() {}

  /** Latencies and errors as the clients record them; thread-safe. */
  static final class Recorder {
    private final int errorsKept;
    private final List<Double> refreshMillis = new ArrayList<>();
    private final List<Double> requestMillis = new ArrayList<>();
    private final Map<String, List<Double>> panelMillis = new TreeMap<>();
    private final List<String> firstErrors = new ArrayList<>();
    private long errors;

    Recorder(int errorsKept) {
      this.errorsKept = errorsKept;
    }

    /** One request's latency; {@code problem} null for a 2xx answer. */
    synchronized void request(String panel, double millis, String problem) {
      requestMillis.add(millis);
      panelMillis.computeIfAbsent(panel, k -> new ArrayList<>()).add(millis);
      if (problem != null) {
        error(problem);
      }
    }

    /** An error: a failed request, or a refresh that could not be sent. */
    synchronized void error(String problem) {
      errors++;
      if (firstErrors.size() < errorsKept) {
        firstErrors.add(problem);
      }
    }

    synchronized void refresh(double millis) {
      refreshMillis.add(millis);
    }

    synchronized Percentiles refreshes() {
      return Percentiles.of(refreshMillis);
    }

    synchronized Percentiles requests() {
      return Percentiles.of(requestMillis);
    }

    synchronized Map<String, Percentiles> panels() {
      Map<String, Percentiles> m = new TreeMap<>();
      panelMillis.forEach((panel, ms) -> m.put(panel, Percentiles.of(ms)));
      return m;
    }

    synchronized long errors() {
      return errors;
    }

    synchronized List<String> firstErrors() {
      return List.copyOf(firstErrors);
    }
  }

  /** The demo process's memory: {@code VmHWM} (peak) and {@code VmRSS} at the window's end. */
  record Memory(long peakRssBytes, long rssAtEndBytes) {}

  /** Met when there were refreshes, none failed and their p95 is within the target. */
  static boolean met(Percentiles refreshes, long errors) {
    return refreshes.count() > 0 && errors == 0 && refreshes.p95() <= REFRESH_P95_TARGET_MS;
  }

  static Map<String, Object> json(Recorder r, Memory memory) {
    Percentiles refreshes = r.refreshes();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("refresh", refreshes.toJson());
    m.put("request", r.requests().toJson());
    Map<String, Object> panels = new LinkedHashMap<>();
    r.panels().forEach((panel, p) -> panels.put(panel, p.toJson()));
    m.put("requestByPanel", panels);
    m.put("errors", r.errors());
    m.put("firstErrors", r.firstErrors());
    Map<String, Object> rss = new LinkedHashMap<>();
    rss.put("peakRssBytes", memory.peakRssBytes());
    rss.put("rssAtEndBytes", memory.rssAtEndBytes());
    m.put("demoProcess", rss);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("refreshP95TargetMs", REFRESH_P95_TARGET_MS);
    target.put("errorsTarget", 0);
    target.put("met", met(refreshes, r.errors()));
    m.put("target", target);
    return m;
  }

  static List<String> lines(Recorder r, Memory memory) {
    Percentiles refreshes = r.refreshes();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT, "%-34s %7s %9s %9s %9s", "measure", "n", "p50 ms", "p95 ms", "max ms"));
    lines.add(row("refresh (all panels, parallel)", refreshes));
    lines.add(row("request (any)", r.requests()));
    r.panels().forEach((panel, p) -> lines.add(row("  " + shorten(panel), p)));
    lines.add(
        String.format(
            Locale.ROOT,
            "target: refresh p95 <= %.0f ms and 0 errors: %s (p95 %.1f ms, %d errors)",
            REFRESH_P95_TARGET_MS,
            met(refreshes, r.errors()) ? "met" : "NOT met",
            refreshes.p95(),
            r.errors()));
    r.firstErrors().forEach(e -> lines.add("error: " + e));
    lines.add(
        String.format(
            Locale.ROOT,
            "demo process RSS: peak (VmHWM) %d MiB, at the end of the window (VmRSS) %d MiB",
            memory.peakRssBytes() >> 20,
            memory.rssAtEndBytes() >> 20));
    return lines;
  }

  private static String shorten(String panel) {
    return panel.length() > 32 ? panel.substring(0, 29) + "..." : panel;
  }

  private static String row(String name, Percentiles p) {
    return String.format(
        Locale.ROOT, "%-34s %7d %9.1f %9.1f %9.1f", name, p.count(), p.p50(), p.p95(), p.max());
  }
}

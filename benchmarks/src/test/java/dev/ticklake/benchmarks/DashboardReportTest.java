package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard suite's figures from recorded latencies: nearest-rank percentiles, errors, target.
 */
class DashboardReportTest {

  static DashboardReport.Recorder recorder(double... refreshMillis) {
    DashboardReport.Recorder r = new DashboardReport.Recorder(2);
    for (double ms : refreshMillis) {
      r.refresh(ms);
    }
    return r;
  }

  @Test
  void percentilesByNearestRankPerRefreshRequestAndPanel() {
    DashboardReport.Recorder r = recorder();
    for (int i = 1; i <= 20; i++) {
      r.refresh(i * 10);
      r.request("RSI (14)", i, null);
      r.request("Last close", 100 + i, null);
    }
    // 20 refreshes of 10..200 ms: p50 = the 10th (100), p95 = the 19th (190), max 200
    assertThat(r.refreshes()).isEqualTo(new Percentiles(20, 100, 190, 200));
    // 40 requests: 1..20 and 101..120; p50 = the 20th (20), p95 = the 38th (118)
    assertThat(r.requests()).isEqualTo(new Percentiles(40, 20, 118, 120));
    assertThat(r.panels())
        .containsOnlyKeys("Last close", "RSI (14)")
        .containsEntry("RSI (14)", new Percentiles(20, 10, 19, 20));
    assertThat(DashboardReport.met(r.refreshes(), r.errors())).isFalse();
  }

  @Test
  void theTargetNeedsAP95WithinAHundredMillisAndNoErrors() {
    DashboardReport.Recorder fast = recorder(20, 40, 100);
    assertThat(DashboardReport.met(fast.refreshes(), fast.errors())).isTrue();
    fast.request("Anomalies", 3, "POST /grafana/query (Anomalies): 500 boom");
    fast.request("Anomalies", 4, "second");
    fast.request("Anomalies", 5, "third, not kept");
    assertThat(fast.errors()).isEqualTo(3);
    assertThat(fast.firstErrors())
        .containsExactly("POST /grafana/query (Anomalies): 500 boom", "second");
    assertThat(DashboardReport.met(fast.refreshes(), fast.errors())).isFalse();
    assertThat(DashboardReport.met(recorder().refreshes(), 0)).isFalse();
  }

  @Test
  void jsonAndLinesCarryTheFiguresTheTargetAndTheRss() {
    DashboardReport.Recorder r = recorder(20, 40, 60);
    r.request("Last close", 7, null);
    DashboardReport.Memory memory = new DashboardReport.Memory(900L << 20, 700L << 20);
    Map<String, Object> json = DashboardReport.json(r, memory);
    assertThat(json.get("refresh"))
        .isEqualTo(Map.of("count", 3L, "p50Ms", 40.0, "p95Ms", 60.0, "maxMs", 60.0));
    assertThat(json).containsEntry("errors", 0L).containsEntry("firstErrors", List.of());
    assertThat(json.get("demoProcess"))
        .isEqualTo(Map.of("peakRssBytes", 900L << 20, "rssAtEndBytes", 700L << 20));
    assertThat(json.get("target"))
        .isEqualTo(Map.of("refreshP95TargetMs", 100.0, "errorsTarget", 0, "met", true));
    assertThat(DashboardReport.lines(r, memory))
        .contains(
            "target: refresh p95 <= 100 ms and 0 errors: met (p95 60.0 ms, 0 errors)",
            "demo process RSS: peak (VmHWM) 900 MiB, at the end of the window (VmRSS) 700 MiB");
  }
}

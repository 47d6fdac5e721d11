package dev.ticklake.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTimelineTest {

  @Test
  void bronzeRowsComeFromTheIngestStatusLine() {
    String log =
        "2026-11-21T21:58:50.976Z start try 1 of medallion__scheduled__x/ingest_bronze\n"
            + "2026-11-21T21:59:11.229Z status COMMITTED: bronze/ticks: COMMITTED at version 0"
            + " (23063 rows, 4 files) from [market.ticks-0[0, 4613), market.ticks-1[0, 18450)]\n"
            + "2026-11-21T21:59:11.230Z end: success in 20253 ms\n";
    assertEquals(23063L, RunTimeline.bronzeRows(log));
  }

  @Test
  void aSkippedRetryStillReportsItsRows() {
    assertEquals(
        7L,
        RunTimeline.bronzeRows(
            "status SKIPPED: bronze/ticks: SKIPPED at version 12 (7 rows, 1 files) from []"));
  }

  @Test
  void nothingNewIsZeroRows() {
    assertEquals(
        0L,
        RunTimeline.bronzeRows(
            "status NOTHING_NEW: bronze/ticks: nothing new in Kafka; nothing committed\n"));
  }

  @Test
  void aFailedTryHasNoRowCount() {
    assertNull(RunTimeline.bronzeRows("error: java.lang.IllegalStateException: broker down\n"));
    assertNull(RunTimeline.bronzeRows(""));
  }

  @Test
  void durationsCountSuccessfulRunsOnly() {
    List<RunTimeline.Run> runs =
        List.of(
            new RunTimeline.Run(
                "success", 0.4, 30_000, Map.of("ingest_bronze", 20_000L, "build_gold", 6_000L), 1L),
            new RunTimeline.Run(
                "success", 31.0, 6_000, Map.of("ingest_bronze", 1_000L, "build_gold", 3_000L), 2L),
            new RunTimeline.Run("failed", 37.5, 9_000, Map.of("ingest_bronze", 9_000L), null),
            new RunTimeline.Run("running", 47.0, -1, Map.of(), null));
    Map<String, Object> d = FreshnessBench.runDurations(runs);
    assertEquals(
        Map.of("count", 2L, "p50Ms", 6000.0, "p95Ms", 30000.0, "maxMs", 30000.0), d.get("run"));
    assertEquals(
        Map.of("count", 2L, "p50Ms", 1000.0, "p95Ms", 20000.0, "maxMs", 20000.0),
        d.get("ingest_bronze"));
    assertEquals(List.of("run", "build_gold", "ingest_bronze"), List.copyOf(d.keySet()));
  }

  @Test
  void jsonRoundsTheStartToATenthOfASecond() {
    Map<String, Object> json =
        new RunTimeline.Run("success", 12.345, 5_900, Map.of("refine_silver", 2_000L), 25_000L)
            .toJson();
    assertEquals(12.3, json.get("startSeconds"));
    assertEquals("success", json.get("state"));
    assertEquals(5_900L, json.get("durationMs"));
    assertEquals(Map.of("refine_silver", 2_000L), json.get("taskMs"));
    assertEquals(25_000L, json.get("bronzeRows"));
  }
}

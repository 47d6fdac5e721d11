package dev.ticklake.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One medallion run as the freshness suite reports it, and how its Bronze batch size is read. */
final class RunTimeline {
  private RunTimeline() {}

  // The ingest task's status line: "bronze/ticks: COMMITTED at version 3 (23063 rows, 4 files)".
  private static final Pattern BRONZE_ROWS =
      Pattern.compile("bronze/ticks: \\w+ at version \\d+ \\((\\d+) rows");
  private static final String NOTHING_NEW = "bronze/ticks: nothing new in Kafka";

  /**
   * Rows the ingest try read, from its captured log: the first commit report's count, 0 when the
   * batch found nothing new, null when the log says neither (a failed try).
   */
  static Long bronzeRows(String ingestLog) {
    Matcher m = BRONZE_ROWS.matcher(ingestLog);
    if (m.find()) {
      return Long.parseLong(m.group(1));
    }
    return ingestLog.contains(NOTHING_NEW) ? 0L : null;
  }

  /**
   * A run: state, start in seconds after the demo process started, duration in ms (-1 while it
   * runs), each ended task's duration in ms, and the rows its Bronze batch read (null: unknown).
   */
  record Run(
      String state,
      double startSeconds,
      long durationMillis,
      Map<String, Long> taskMillis,
      Long bronzeRows) {

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("startSeconds", Math.round(startSeconds * 10) / 10.0);
      m.put("state", state);
      m.put("durationMs", durationMillis);
      m.put("taskMs", taskMillis);
      m.put("bronzeRows", bronzeRows);
      return m;
    }
  }
}

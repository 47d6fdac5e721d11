package dev.ticklake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's medallion runs as its REST API reports them, for the freshness suite. A failed call
 * counts as no runs (the demo may still be starting), never as an error.
 */
final class MedallionRunsApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String api;

  /** {@code api}: the demo's API base URL, e.g. {@code http://127.0.0.1:8080/api/v1}. */
  MedallionRunsApi(String api) {
    this.api = api;
  }

  boolean anyRunSucceeded() throws Exception {
    for (JsonNode run : runs()) {
      if ("success".equals(run.path("state").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Runs of medallion by state, e.g. {success=20, running=1}. */
  Map<String, Object> runCounts() throws Exception {
    Map<String, Object> m = new TreeMap<>();
    for (JsonNode run : runs()) {
      m.merge(run.path("state").asText(), 1, (a, b) -> (Integer) a + (Integer) b);
    }
    return m;
  }

  /**
   * Every medallion run (oldest first) with its start relative to the demo's start, its duration,
   * each task's duration and the rows its Bronze batch read (from the ingest task's log): where the
   * freshness goes, run by run (the cold first run, the catch-up after it, the steady state).
   */
  List<RunTimeline.Run> runTimeline(Instant started) throws Exception {
    List<RunTimeline.Run> out = new ArrayList<>();
    for (JsonNode run : runs()) {
      if (run.path("startedAt").isNull() || run.path("startedAt").isMissingNode()) {
        continue;
      }
      out.add(timelineEntry(run, started));
    }
    out.sort(Comparator.comparingDouble(RunTimeline.Run::startSeconds));
    return out;
  }

  private RunTimeline.Run timelineEntry(JsonNode run, Instant started) throws Exception {
    String id = URLEncoder.encode(run.path("runId").asText(), "UTF-8");
    Map<String, Long> taskMillis = new TreeMap<>();
    Long bronzeRows = null;
    HttpResponse<String> r = get(api + "/runs/" + id + "/tasks");
    if (r.statusCode() == 200) {
      for (JsonNode task : JSON.readTree(r.body())) {
        if (!ended(task)) {
          continue;
        }
        String taskId = task.path("taskId").asText();
        taskMillis.put(taskId, (long) millisBetween(task));
        if (taskId.equals("ingest_bronze")) {
          bronzeRows = bronzeRows(id, task.path("tryNumber").asInt());
        }
      }
    }
    Instant runStart = Instant.parse(run.path("startedAt").asText());
    return new RunTimeline.Run(
        run.path("state").asText(),
        Duration.between(started, runStart).toMillis() / 1000.0,
        ended(run) ? (long) millisBetween(run) : -1,
        taskMillis,
        bronzeRows);
  }

  private Long bronzeRows(String runId, int tryNumber) throws Exception {
    HttpResponse<String> log =
        get(api + "/runs/" + runId + "/tasks/ingest_bronze/logs/" + tryNumber);
    return log.statusCode() == 200 ? RunTimeline.bronzeRows(log.body()) : null;
  }

  private JsonNode runs() throws Exception {
    HttpResponse<String> r = get(api + "/dags/medallion/runs?limit=1000");
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createArrayNode();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static boolean ended(JsonNode node) {
    return !node.path("endedAt").isMissingNode() && !node.path("endedAt").isNull();
  }

  private static double millisBetween(JsonNode startedAndEnded) {
    return Duration.between(
            Instant.parse(startedAndEnded.path("startedAt").asText()),
            Instant.parse(startedAndEnded.path("endedAt").asText()))
        .toMillis();
  }
}

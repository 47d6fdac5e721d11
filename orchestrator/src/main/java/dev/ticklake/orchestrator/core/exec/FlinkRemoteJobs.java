package dev.ticklake.orchestrator.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.core.retry.NonRetryableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the orchestrator asks of a Flink session cluster's REST API for {@code runner: flink-remote}
 * tries: is the JobManager there, which job a try submitted, and cancel it.
 *
 * <p>Each try submits its job under a name of its own ({@link #jobName}), so that its job id can be
 * found in {@code GET /jobs/overview} while the job runs (Beam's FlinkRunner returns only when a
 * batch job has ended) and cancelled by name from any JVM.
 */
public final class FlinkRemoteJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private FlinkRemoteJobs() {}

  /** The Flink job name of a try: {@code ticklake/<run>/<task>/try-<n>}. */
  public static String jobName(RunContext ctx) {
    return "ticklake/" + ctx.runId() + "/" + ctx.taskId() + "/try-" + ctx.tryNumber();
  }

  /** The job's page in the cluster's web UI. */
  public static String webUrl(String master, String jobId) {
    return "http://" + master + "/#/job/" + jobId + "/overview";
  }

  /**
   * Fails before submission when the try cannot run: the job jar is missing (non-retryable: the
   * same try would fail the same way) or the JobManager does not answer (retryable, with the task's
   * backoff).
   */
  public static void checkReady(RunnerSettings runner) {
    Path jar = Path.of(runner.flinkJobJar());
    if (!runner.jobJarOnCluster() && !Files.isRegularFile(jar)) {
      throw new NonRetryableException(
          "flinkJobJar "
              + jar.toAbsolutePath()
              + " does not exist: build the job jar with `./mvnw -o -pl pipelines -am package"
              + " -DskipTests` (pipelines/target/ticklake-pipelines-job.jar) or set flinkJobJar"
              + " (lib: the cluster has it in its lib/ folder)");
    }
    try {
      HttpResponse<String> r = send(get(runner.flinkMaster(), "/overview"));
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "Flink JobManager at "
                + runner.flinkMaster()
                + " answered GET /overview with HTTP "
                + r.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Flink JobManager at "
              + runner.flinkMaster()
              + " (flinkMaster) is unreachable: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          e);
    }
  }

  /** The id of the job named {@code jobName}, the newest when several have that name. */
  public static Optional<String> findJobId(String master, String jobName) throws IOException {
    return findJob(master, jobName, false);
  }

  /**
   * Cancels the job named {@code jobName} if it still runs ({@code PATCH /jobs/{id}?mode=cancel});
   * returns its id when a cancel was sent.
   */
  public static Optional<String> cancel(String master, String jobName) throws IOException {
    Optional<String> id = findJob(master, jobName, true);
    if (id.isPresent()) {
      HttpRequest patch =
          HttpRequest.newBuilder(uri(master, "/jobs/" + id.get() + "?mode=cancel"))
              .timeout(REQUEST_TIMEOUT)
              .method("PATCH", HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> r = send(patch);
      if (r.statusCode() / 100 != 2) {
        throw new IOException("cancel of Flink job " + id.get() + ": HTTP " + r.statusCode());
      }
    }
    return id;
  }

  private static Optional<String> findJob(String master, String jobName, boolean runningOnly)
      throws IOException {
    HttpResponse<String> r = send(get(master, "/jobs/overview"));
    if (r.statusCode() != 200) {
      throw new IOException("GET /jobs/overview of " + master + ": HTTP " + r.statusCode());
    }
    String found = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode job : JSON.readTree(r.body()).path("jobs")) {
      boolean ended = isTerminal(job.path("state").asText());
      if (jobName.equals(job.path("name").asText())
          && !(runningOnly && ended)
          && job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        found = job.path("jid").asText();
      }
    }
    return Optional.ofNullable(found);
  }

  private static boolean isTerminal(String state) {
    return switch (state) {
      case "FINISHED", "CANCELED", "FAILED" -> true;
      default -> false;
    };
  }

  private static HttpRequest get(String master, String path) {
    return HttpRequest.newBuilder(uri(master, path)).timeout(REQUEST_TIMEOUT).GET().build();
  }

  private static URI uri(String master, String path) {
    return URI.create("http://" + master + path);
  }

  private static HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + request.uri(), e);
    }
  }
}

package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real service ({@code server}) in a child JVM on this JVM's class path, for tests that kill
 * it: an H2 file database and a lake under the test's directory, and the REST API read back.
 */
final class ServiceChild {
  // Generous: the child JVMs share 2 cores with builds; Silver on the DirectRunner is slow.
  static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The service's configuration for {@code dir}: DAGs from {@code dags}, this Kafka. */
  static Path writeConfig(Path dir, Path dags, String bootstrapServers, String topic)
      throws IOException {
    Path config = dir.resolve("ticklake-test.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "lakeRoot: " + dir.resolve("lake"),
            "dagsFolder: " + dags,
            "loadShippedDags: false",
            "database:",
            "  driverClass: org.h2.Driver",
            "  url: jdbc:h2:file:" + dir.resolve("db/ticklake") + ";DB_CLOSE_ON_EXIT=FALSE",
            "  user: sa",
            "  password: \"\"",
            "kafka:",
            "  bootstrapServers: " + bootstrapServers,
            "  topic: " + topic,
            "  partitions: 2",
            "scheduler:",
            "  workers: 2",
            "  heartbeatTimeout: 30s",
            // A fixed password: otherwise the first start would write a generated one to
            // ./data/admin-password.txt in the working directory.
            "auth:",
            "  adminPassword: test-pass",
            "server:",
            "  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]",
            "  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]",
            "logging:",
            "  level: INFO",
            "  loggers: {org.apache.kafka: WARN, kafka: WARN, io.delta: WARN,"
                + " org.apache.parquet: WARN, org.apache.hadoop: WARN}",
            ""));
    return config;
  }

  /**
   * Starts {@code server} with {@code config} in {@code dir}; with a fault point, the child pauses
   * at it after letting {@code skip} reaches pass. The process is added to {@code children}.
   */
  static ServiceChild start(
      Path dir, Path config, String faultPoint, int skip, List<Process> children)
      throws IOException {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    if (faultPoint != null) {
      command.add("-Dticklake.fault.pause=" + faultPoint);
      command.add("-Dticklake.fault.skip=" + skip);
      command.add("-Dticklake.fault.dir=" + markers);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TickLakeApplication.class.getName());
    command.add("server");
    command.add(config.toString());
    Path log = dir.resolve("child-" + (children.size() + 1) + ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    children.add(p);
    return new ServiceChild(p, log, markers);
  }

  private static final Pattern API = Pattern.compile("API:\\s+http://localhost:(\\d+)/");
  private final Process process;
  private final Path log;
  private final Path markers;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  ServiceChild(Process process, Path log, Path markers) {
    this.process = process;
    this.log = log;
    this.markers = markers;
  }

  /** Waits until the child pauses at {@code point}, then SIGKILLs it. */
  void killAtFaultPoint(String point) throws Exception {
    Path marker = markers.resolve(point + ".reached");
    awaitWithOutput(
        "the child to reach " + point,
        () -> {
          alive("before reaching " + point);
          return Files.exists(marker);
        },
        reached -> reached);
    kill();
    Files.delete(marker);
  }

  /** SIGKILL: no shutdown hook, no scheduler stop. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  /** The child's process, e.g. for its descendants (subprocess tries). */
  ProcessHandle handle() {
    return process.toHandle();
  }

  /** The base URL of the API, once the child has printed it. */
  String base() throws Exception {
    if (base == null) {
      String port =
          awaitWithOutput(
                  "the child to serve",
                  () -> {
                    Matcher m = API.matcher(output());
                    if (m.find()) {
                      return Optional.of(m.group(1));
                    }
                    alive("before serving");
                    return Optional.<String>empty();
                  },
                  Optional::isPresent)
              .orElseThrow();
      base = "http://127.0.0.1:" + port + "/api/v1";
    }
    return base;
  }

  /** {@link Await#until} with the child's output added to a time-out's message. */
  private <T> T awaitWithOutput(String what, Callable<T> probe, Predicate<? super T> done)
      throws IOException {
    try {
      return Await.until(START_TIMEOUT, what, probe, done);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ":\n" + output(), e);
    }
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  String log(String runId, String taskId, int tryNumber) throws Exception {
    String path = "/runs/" + runId + "/tasks/" + taskId + "/logs/" + tryNumber;
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  /**
   * Polls the runs of {@code dagId} (scheduled yearly) until its run has ended; asserts it is the
   * only run, the scheduled one of the latest January 1st.
   */
  JsonNode awaitOnlyRunEnds(String dagId) throws Exception {
    Instant expectedLogical =
        LocalDate.now(ZoneOffset.UTC).withDayOfYear(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    JsonNode runs;
    try {
      runs =
          Await.until(
              RUN_TIMEOUT,
              dagId + "'s run to end",
              () -> {
                alive("while the run was not over");
                JsonNode all = get("/dags/" + dagId + "/runs");
                assertThat(all.size()).as("runs %s", all).isLessThanOrEqualTo(1);
                if (all.size() == 1) {
                  JsonNode run = all.get(0);
                  assertThat(run.get("runType").asText()).isEqualTo("scheduled");
                  assertThat(Instant.parse(run.get("logicalTime").asText()))
                      .isEqualTo(expectedLogical);
                }
                return all;
              },
              all ->
                  all.size() == 1
                      && Set.of("success", "failed").contains(all.get(0).get("state").asText()));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + output(), e);
    }
    // Settled: a pass later, still exactly this run.
    assertThat(get("/dags/" + dagId + "/runs")).hasSize(1);
    return runs.get(0);
  }

  /** task id -> "state#tryNumber". */
  Map<String, String> tries(String runId) throws Exception {
    Map<String, String> m = new java.util.HashMap<>();
    for (JsonNode t : get("/runs/" + runId + "/tasks")) {
      m.put(t.get("taskId").asText(), t.get("state").asText() + "#" + t.get("tryNumber").asInt());
    }
    return m;
  }

  /** Graceful stop (SIGTERM), so that H2 and the lake are closed before they are read. */
  void stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child stopped").isTrue();
  }

  private void alive(String when) throws IOException {
    if (!process.isAlive()) {
      fail("child exited (" + process.exitValue() + ") " + when + ":\n" + output());
    }
  }

  private String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}

package dev.ticklake.servers.flink;

import dev.ticklake.servers.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Flink session cluster: one JobManager ({@code StandaloneSessionClusterEntrypoint})
 * and N TaskManagers ({@code TaskManagerRunner}), each a JVM of its own on this module's classpath
 * (Flink's jars from Maven Central; no {@code flink-dist}), with the REST API and web UI on
 * 127.0.0.1.
 *
 * <p>State lives in {@link FlinkClusterSettings#home()}: the pid files there make a second {@link
 * #start} refuse while the first cluster runs, and let {@link #stop(FlinkClusterSettings)} stop a
 * cluster another JVM started (the {@code ci/flink-cluster.sh} script).
 */
public final class FlinkSessionCluster implements AutoCloseable {
  static final String JOB_MANAGER = "jobmanager";
  private static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  // Java 17 opens Flink's own scripts pass (env.java.opts.all), for Kryo and the memory manager.
  private static final String[] JAVA17_OPENS = {
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.text=ALL-UNNAMED",
    "--add-opens=java.base/java.time=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
  };
  private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final FlinkClusterSettings settings;
  private final int restPort;
  private final ServerProcess jobManager;
  private final List<ServerProcess> taskManagers = new ArrayList<>();

  private FlinkSessionCluster(
      FlinkClusterSettings settings, int restPort, ServerProcess jobManager) {
    this.settings = settings;
    this.restPort = restPort;
    this.jobManager = jobManager;
  }

  /**
   * Writes the configuration, starts the JobManager and the TaskManagers, and returns once the REST
   * API reports every TaskManager registered. Refuses when a JVM of a cluster in the same home
   * still runs.
   */
  public static FlinkSessionCluster start(FlinkClusterSettings settings) {
    running(settings)
        .ifPresent(
            pid -> {
              throw new IllegalStateException(
                  "a Flink cluster already runs from "
                      + settings.home()
                      + " (pid "
                      + pid
                      + "): stop it first");
            });
    int rest = settings.restPort() == 0 ? ServerProcess.freePort() : settings.restPort();
    if (ServerProcess.listening(rest)) {
      throw new IllegalStateException("port " + rest + " on 127.0.0.1 is in use");
    }
    writeConfig(settings, rest);
    ServerProcess jm =
        server(settings, JOB_MANAGER, JOB_MANAGER_MAIN, "-Xmx" + settings.jobManagerHeapMb() + "m");
    FlinkSessionCluster cluster = new FlinkSessionCluster(settings, rest, jm);
    try {
      jm.awaitReady(
          START_TIMEOUT, "REST API on port " + rest, () -> cluster.overview().isPresent());
      for (int i = 1; i <= settings.taskManagers(); i++) {
        cluster.taskManagers.add(cluster.startTaskManager(i));
      }
      cluster.awaitTaskManagers(settings.taskManagers());
      Files.writeString(settings.masterFile(), cluster.master());
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** {@code 127.0.0.1:<rest port>}: Beam's {@code --flinkMaster}, the orchestrator's too. */
  public String master() {
    return "127.0.0.1:" + restPort;
  }

  public int restPort() {
    return restPort;
  }

  /** The web UI (and REST API) root. */
  public URI webUi() {
    return URI.create("http://" + master() + "/");
  }

  public FlinkClusterSettings settings() {
    return settings;
  }

  /** TaskManager {@code number} (1-based), as started last. */
  public ServerProcess taskManager(int number) {
    return taskManagers.get(number - 1);
  }

  /** SIGKILLs TaskManager {@code number}, as a crashed machine would lose it. */
  public void killTaskManager(int number) {
    taskManager(number).kill();
  }

  /** Starts TaskManager {@code number} again (after a kill) and waits until it is registered. */
  public void restartTaskManager(int number) {
    if (taskManager(number).isAlive()) {
      throw new IllegalStateException("taskmanager-" + number + " still runs");
    }
    taskManagers.set(number - 1, startTaskManager(number));
  }

  /** How many TaskManagers the REST API reports, when it answers. */
  public OptionalInt registeredTaskManagers() {
    Optional<String> overview = overview();
    if (overview.isEmpty()) {
      return OptionalInt.empty();
    }
    Matcher m = TASK_MANAGERS.matcher(overview.get());
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** Waits until the REST API reports {@code count} TaskManagers. */
  public void awaitTaskManagers(int count) {
    jobManager.awaitReady(
        START_TIMEOUT,
        count + " TaskManagers registered",
        () -> {
          taskManagers.stream()
              .filter(tm -> !tm.isAlive())
              .findFirst()
              .ifPresent(
                  tm -> {
                    throw new IllegalStateException(
                        tm.name() + " exited; end of " + tm.log() + ":\n" + tm.logTail(30));
                  });
          return registeredTaskManagers().orElse(-1) == count;
        });
  }

  /** TaskManagers first, then the JobManager; each gets SIGTERM, then SIGKILL after a grace. */
  @Override
  public void close() {
    taskManagers.forEach(tm -> tm.stop(STOP_GRACE));
    jobManager.stop(STOP_GRACE);
    deleteQuietly(settings.masterFile());
  }

  /** Stops the cluster running from {@code settings.home()}, whichever JVM started it. */
  public static boolean stop(FlinkClusterSettings settings) {
    List<Path> pids = pidFiles(settings);
    boolean any = false;
    // TaskManagers first: a JobManager stopped first makes them retry their registration
    for (Path pid : pids.stream().sorted((a, b) -> b.compareTo(a)).toList()) {
      Optional<ProcessHandle> handle = ServerProcess.running(pid);
      if (handle.isPresent()) {
        ServerProcess.stop(handle.get(), STOP_GRACE);
        any = true;
      }
      deleteQuietly(pid);
    }
    deleteQuietly(settings.masterFile());
    return any;
  }

  /** The pid of a JVM of a cluster from {@code settings.home()} that still runs. */
  public static Optional<Long> running(FlinkClusterSettings settings) {
    return pidFiles(settings).stream()
        .map(ServerProcess::running)
        .flatMap(Optional::stream)
        .map(ProcessHandle::pid)
        .findFirst();
  }

  /** The REST endpoint written by the running cluster of {@code settings.home()}. */
  public static Optional<String> master(FlinkClusterSettings settings) {
    try {
      return Files.isRegularFile(settings.masterFile())
          ? Optional.of(Files.readString(settings.masterFile()).trim())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The body of {@code GET /overview}, when the REST API at {@code master} answers. */
  public static Optional<String> overview(String master) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + master + "/overview"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<String> overview() {
    return overview(master());
  }

  private ServerProcess startTaskManager(int number) {
    return server(
        settings, "taskmanager-" + number, TASK_MANAGER_MAIN, settings.taskManagerJvmOptions());
  }

  private static ServerProcess server(
      FlinkClusterSettings settings, String name, String main, String... memory) {
    Path log = settings.logs().resolve(name + ".log").toAbsolutePath();
    ServerProcess.Builder builder = ServerProcess.java(name, FlinkSessionCluster.class, main);
    settings.libraries().forEach(jar -> builder.classpathFirst(jar.toAbsolutePath().toString()));
    return builder
        .jvmOptions(memory)
        .jvmOptions(JAVA17_OPENS)
        // the web UI shows this file as the JVM's log
        .jvmOptions("-Dlog.file=" + log, "-Dorg.slf4j.simpleLogger.showDateTime=true")
        .args("--configDir", settings.conf().toAbsolutePath().toString())
        .logDirectory(settings.logs())
        .start();
  }

  private static void writeConfig(FlinkClusterSettings settings, int rest) {
    try {
      Files.createDirectories(settings.conf());
      Files.createDirectories(settings.home().resolve("tmp").resolve("web"));
      StringBuilder yaml = new StringBuilder("# written by FlinkSessionCluster at each start\n");
      for (Map.Entry<String, String> e :
          settings.flinkConfig(rest, ServerProcess.freePort()).entrySet()) {
        yaml.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
      Files.writeString(settings.conf().resolve("config.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration", e);
    }
  }

  private static List<Path> pidFiles(FlinkClusterSettings settings) {
    if (!Files.isDirectory(settings.logs())) {
      return List.of();
    }
    try (var files = Files.list(settings.logs())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".pid")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale file is harmless: its pid no longer runs
    }
  }
}

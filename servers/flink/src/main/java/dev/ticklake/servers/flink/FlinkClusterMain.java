package dev.ticklake.servers.flink;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code start|stop|status} of a {@link FlinkSessionCluster}, for {@code ci/flink-cluster.sh}.
 *
 * <p>Settings come from the environment: {@code TICKLAKE_FLINK_HOME} (state and logs, default
 * {@code target/flink-cluster}), {@code TICKLAKE_FLINK_REST_PORT} (default 8081; 0 = free port),
 * {@code TICKLAKE_FLINK_TASKMANAGERS} (2), {@code TICKLAKE_FLINK_SLOTS} (slots per TaskManager, 1),
 * {@code TICKLAKE_FLINK_TASK_HEAP_MB} (384), {@code TICKLAKE_FLINK_MANAGED_MB} (128), {@code
 * TICKLAKE_FLINK_JOBMANAGER_HEAP_MB} (384), {@code TICKLAKE_FLINK_LIB} (jars, {@code :}-separated,
 * on the cluster's classpath: {@link FlinkClusterSettings#libraries()}). {@code start} returns once
 * every TaskManager is registered; the JVMs keep running after it exits.
 */
public final class FlinkClusterMain {

  private FlinkClusterMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: FlinkClusterMain start|stop|status");
      System.exit(2);
    }
    FlinkClusterSettings settings = settings(System.getenv());
    int code =
        switch (args[0]) {
          case "start" -> start(settings);
          case "stop" -> stop(settings);
          case "status" -> status(settings);
          default -> {
            System.err.println("unknown command '" + args[0] + "' (start|stop|status)");
            yield 2;
          }
        };
    System.exit(code);
  }

  static FlinkClusterSettings settings(Map<String, String> env) {
    return new FlinkClusterSettings(
        Path.of(env.getOrDefault("TICKLAKE_FLINK_HOME", "target/flink-cluster")),
        number(env, "TICKLAKE_FLINK_REST_PORT", 8081),
        number(env, "TICKLAKE_FLINK_TASKMANAGERS", 2),
        number(env, "TICKLAKE_FLINK_SLOTS", 1),
        number(env, "TICKLAKE_FLINK_TASK_HEAP_MB", 384),
        number(env, "TICKLAKE_FLINK_MANAGED_MB", 128),
        number(env, "TICKLAKE_FLINK_JOBMANAGER_HEAP_MB", 384),
        libraries(env.getOrDefault("TICKLAKE_FLINK_LIB", "")));
  }

  private static int start(FlinkClusterSettings settings) {
    try {
      FlinkSessionCluster cluster = FlinkSessionCluster.start(settings);
      System.out.println(
          "Flink session cluster up: "
              + settings.taskManagers()
              + " TaskManagers x "
              + settings.slotsPerTaskManager()
              + " slots; flinkMaster "
              + cluster.master()
              + "; web UI "
              + cluster.webUi()
              + "; logs in "
              + settings.logs().toAbsolutePath());
      return 0;
    } catch (RuntimeException e) {
      System.err.println("cannot start the Flink cluster: " + e.getMessage());
      return 1;
    }
  }

  private static int stop(FlinkClusterSettings settings) {
    boolean stopped = FlinkSessionCluster.stop(settings);
    System.out.println(
        stopped
            ? "Flink session cluster of " + settings.home() + " stopped"
            : "no Flink session cluster runs from " + settings.home());
    return 0;
  }

  private static int status(FlinkClusterSettings settings) {
    Optional<Long> pid = FlinkSessionCluster.running(settings);
    Optional<String> master = FlinkSessionCluster.master(settings);
    if (pid.isEmpty() || master.isEmpty()) {
      System.out.println("not running (home " + settings.home() + ")");
      return 3;
    }
    Optional<String> overview = FlinkSessionCluster.overview(master.get());
    System.out.println(
        "running: flinkMaster "
            + master.get()
            + ", web UI http://"
            + master.get()
            + "/, overview "
            + overview.orElse("(REST API not answering)"));
    return overview.isPresent() ? 0 : 1;
  }

  private static List<Path> libraries(String paths) {
    return Arrays.stream(paths.split(File.pathSeparator))
        .filter(p -> !p.isBlank())
        .map(Path::of)
        .toList();
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
    }
  }
}

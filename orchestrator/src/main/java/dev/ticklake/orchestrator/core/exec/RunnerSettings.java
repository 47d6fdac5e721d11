package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.pipelines.PlaceholderJobJar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which Beam runner the TickLake pipelines run on: {@code direct} (DirectRunner, default), {@code
 * flink-local} (FlinkRunner embedded, {@code --flinkMaster=[local]}) or {@code flink-remote}
 * (FlinkRunner against {@code flinkMaster}, {@code host:port}).
 *
 * <p>{@code directParallelism}: the DirectRunner's {@code --targetParallelism} (its worker
 * threads); 0 leaves Beam's default (the number of cores, at least 3). Ignored by the other
 * runners. A task's own {@code targetParallelism} option wins (task options come after these
 * arguments).
 *
 * <p>{@code flink-remote} only: {@code flinkJobJar}, the pipelines' job jar staged with every job
 * (Beam's {@code --filesToStage}; default {@value #DEFAULT_FLINK_JOB_JAR}, built by {@code ./mvnw
 * -pl pipelines -am package}), or {@value #JOB_JAR_ON_CLUSTER} when the cluster has the job jar in
 * its {@code lib/} folder (as {@code ci/flink-cluster.sh} sets it up): then only a placeholder jar
 * is staged ({@link PlaceholderJobJar}); and {@code flinkParallelism}, the jobs' {@code
 * --parallelism} (0: the cluster's {@code parallelism.default}).
 */
public record RunnerSettings(
    String runner,
    String flinkMaster,
    int directParallelism,
    String flinkJobJar,
    int flinkParallelism) {

  public static final String DEFAULT_FLINK_JOB_JAR = "pipelines/target/ticklake-pipelines-job.jar";

  /** {@code flinkJobJar} for a cluster with the job jar in its {@code lib/}: nothing uploaded. */
  public static final String JOB_JAR_ON_CLUSTER = "lib";

  public static final RunnerSettings DIRECT = new RunnerSettings("direct", "");

  /** Beam's default DirectRunner parallelism. */
  public RunnerSettings(String runner, String flinkMaster) {
    this(runner, flinkMaster, 0);
  }

  /** The default job jar and the cluster's parallelism for flink-remote. */
  public RunnerSettings(String runner, String flinkMaster, int directParallelism) {
    this(runner, flinkMaster, directParallelism, DEFAULT_FLINK_JOB_JAR, 0);
  }

  /** These settings with another flink-remote job jar and parallelism. */
  public RunnerSettings withFlinkJob(String jobJar, int parallelism) {
    return new RunnerSettings(runner, flinkMaster, directParallelism, jobJar, parallelism);
  }

  /** Whether the cluster has the job jar on its classpath ({@value #JOB_JAR_ON_CLUSTER}). */
  public boolean jobJarOnCluster() {
    return JOB_JAR_ON_CLUSTER.equals(flinkJobJar);
  }

  public boolean isFlinkRemote() {
    return "flink-remote".equals(runner);
  }

  public RunnerSettings {
    if (flinkParallelism < 0) {
      throw new IllegalArgumentException(
          "flinkParallelism must be >= 0 (0: the cluster's default), got " + flinkParallelism);
    }
    flinkJobJar =
        flinkJobJar == null || flinkJobJar.isBlank() ? DEFAULT_FLINK_JOB_JAR : flinkJobJar.trim();
    if (directParallelism < 0) {
      throw new IllegalArgumentException(
          "directParallelism must be >= 0 (0: Beam's default), got " + directParallelism);
    }
    Objects.requireNonNull(runner, "runner");
    runner = runner.trim().toLowerCase(Locale.ROOT);
    flinkMaster = flinkMaster == null ? "" : flinkMaster.trim();
    switch (runner) {
      case "direct", "flink-local" -> {}
      case "flink-remote" -> {
        if (flinkMaster.isEmpty()) {
          throw new IllegalArgumentException("runner flink-remote needs flinkMaster (host:port)");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown runner '" + runner + "' (known: direct, flink-local, flink-remote)");
    }
  }

  /** Beam options selecting this runner, name to value, in argument order. */
  public Map<String, String> beamOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    switch (runner) {
      case "direct" -> {
        options.put("runner", "DirectRunner");
        if (directParallelism > 0) {
          options.put("targetParallelism", Integer.toString(directParallelism));
        }
      }
      case "flink-local" -> {
        options.put("runner", "FlinkRunner");
        options.put("flinkMaster", "[local]");
      }
      default -> {
        options.put("runner", "FlinkRunner");
        options.put("flinkMaster", flinkMaster);
        options.put(
            "filesToStage", jobJarOnCluster() ? PlaceholderJobJar.path().toString() : flinkJobJar);
        if (flinkParallelism > 0) {
          options.put("parallelism", Integer.toString(flinkParallelism));
        }
      }
    }
    return options;
  }

  /** {@link #beamOptions()} as Beam command-line arguments ({@code --name=value}). */
  public List<String> beamArgs() {
    List<String> args = new ArrayList<>();
    beamOptions().forEach((name, value) -> args.add("--" + name + "=" + value));
    return args;
  }
}

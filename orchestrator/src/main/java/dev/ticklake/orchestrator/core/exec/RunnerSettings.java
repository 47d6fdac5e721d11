package dev.ticklake.orchestrator.core.exec;

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
 */
public record RunnerSettings(String runner, String flinkMaster, int directParallelism) {

  public static final RunnerSettings DIRECT = new RunnerSettings("direct", "");

  /** Beam's default DirectRunner parallelism. */
  public RunnerSettings(String runner, String flinkMaster) {
    this(runner, flinkMaster, 0);
  }

  public RunnerSettings {
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

package dev.ticklake.orchestrator.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which Beam runner the TickLake pipelines run on: {@code direct} (DirectRunner, default), {@code
 * flink-local} (FlinkRunner embedded, {@code --flinkMaster=[local]}) or {@code flink-remote}
 * (FlinkRunner against {@code flinkMaster}, {@code host:port}).
 */
public record RunnerSettings(String runner, String flinkMaster) {

  public static final RunnerSettings DIRECT = new RunnerSettings("direct", "");

  public RunnerSettings {
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

  /** Beam command-line arguments selecting this runner. */
  public List<String> beamArgs() {
    List<String> args = new ArrayList<>();
    switch (runner) {
      case "direct" -> args.add("--runner=DirectRunner");
      case "flink-local" -> {
        args.add("--runner=FlinkRunner");
        args.add("--flinkMaster=[local]");
      }
      default -> {
        args.add("--runner=FlinkRunner");
        args.add("--flinkMaster=" + flinkMaster);
      }
    }
    return args;
  }
}

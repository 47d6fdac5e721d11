package dev.ticklake.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration file of the freshness suite's demo: a temp lake and H2 database under the work
 * directory, the demo's broker on a given port, the feed at a given rate, and optionally the
 * shipped medallion DAG with another schedule.
 */
final class DemoConfig {
  private DemoConfig() {}

  /** Writes {@code workDir/demo.yml} (and a DAG folder) and returns its path. */
  static Path write(Path workDir, int kafkaPort, double feedRate, String runner, String schedule)
      throws IOException {
    Path config = workDir.resolve("demo.yml");
    List<String> lines = new ArrayList<>();
    lines.add("lakeRoot: " + workDir.resolve("lake"));
    Path dags = Files.createDirectories(workDir.resolve("dags"));
    lines.add("dagsFolder: " + dags);
    if (!schedule.isEmpty()) {
      Files.writeString(dags.resolve("medallion.yml"), medallionWithSchedule(schedule));
    }
    lines.add("database:");
    lines.add("  driverClass: org.h2.Driver");
    lines.add(
        "  url: jdbc:h2:file:"
            + workDir.resolve("data/ticklake")
            + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    lines.add("  user: sa");
    lines.add("  password: \"\"");
    if (!runner.isEmpty()) {
      lines.add("runner: " + runner);
    }
    lines.add("demo:");
    lines.add("  kafkaPort: " + kafkaPort);
    lines.add("  kafkaDataDir: " + workDir.resolve("data/kafka"));
    lines.add("  feedRate: " + feedRate);
    lines.add("  feedSeed: 42");
    lines.add("server:");
    lines.add("  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]");
    lines.add("  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]");
    lines.add("logging:");
    lines.add("  level: INFO");
    lines.add(
        "  loggers: {org.apache.kafka: WARN, kafka: WARN, state.change.logger: WARN,"
            + " io.delta: WARN, org.apache.parquet: WARN, org.apache.hadoop: WARN}");
    Files.writeString(config, String.join("\n", lines) + "\n");
    return config;
  }

  /** A copy of the shipped DAG with another schedule: the same tasks and options otherwise. */
  private static String medallionWithSchedule(String schedule) throws IOException {
    String shipped;
    try (InputStream in = DemoConfig.class.getResourceAsStream("/dags/medallion.yml")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String changed = shipped.replaceFirst("(?m)^schedule:.*$", "schedule: \"" + schedule + "\"");
    if (changed.equals(shipped)) {
      throw new IllegalStateException("the shipped medallion DAG has no schedule line");
    }
    return changed;
  }
}

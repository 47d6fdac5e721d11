package dev.ticklake.orchestrator.core.dag;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a task runs. Written in YAML in lower case: {@code in_process}. */
public enum ExecutorType {
  /** A worker pool inside the service: lowest latency (default). */
  IN_PROCESS,
  /** A child JVM per try: isolation, killed on timeout. */
  SUBPROCESS;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ExecutorType> fromYamlName(String name) {
    return Arrays.stream(values()).filter(e -> e.yamlName().equals(name)).findFirst();
  }

  public static String knownNames() {
    return Arrays.stream(values()).map(ExecutorType::yamlName).collect(Collectors.joining(", "));
  }
}

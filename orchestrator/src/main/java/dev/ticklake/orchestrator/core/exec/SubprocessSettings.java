package dev.ticklake.orchestrator.core.exec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link SubprocessExecutor} starts child JVMs.
 *
 * @param workers tries that run at once in child JVMs (at least 1)
 * @param javaBinary the {@code java} launcher; by default the one of this JVM ({@code java.home})
 * @param classPath the child's class path; by default this JVM's ({@code java.class.path})
 * @param jvmOptions extra JVM options placed before the main class, e.g. {@code -Xmx1g}
 * @param workDir where each try gets a temporary folder (request, result, output), deleted after
 *     the try
 */
public record SubprocessSettings(
    int workers, Path javaBinary, String classPath, List<String> jvmOptions, Path workDir) {

  public SubprocessSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("subprocess workers must be >= 1, got " + workers);
    }
    Objects.requireNonNull(javaBinary, "javaBinary");
    Objects.requireNonNull(classPath, "classPath");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(workDir, "workDir");
  }

  /** This JVM's java and class path, no extra options, 2 workers, the system temp folder. */
  public static SubprocessSettings defaults() {
    return of(2, "");
  }

  /** This JVM's java and class path with {@code workers} and whitespace-separated options. */
  public static SubprocessSettings of(int workers, String jvmOptions) {
    return new SubprocessSettings(
        workers,
        Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"),
        splitOptions(jvmOptions),
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  public SubprocessSettings withJvmOptions(String options) {
    return new SubprocessSettings(workers, javaBinary, classPath, splitOptions(options), workDir);
  }

  static List<String> splitOptions(String options) {
    String trimmed = options == null ? "" : options.trim();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }
}

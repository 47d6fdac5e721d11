package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.pipelines.BuildGoldJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job main run from the service's classpath, as docs/medallion.md shows it, logs at INFO (the
 * jar's logback.xml), not logback's default DEBUG, which flooded a 2,000,000-event Bronze run with
 * a 34 GB log.
 */
class EntryPointLoggingIT {

  @TempDir Path tmp;

  @Test
  void jobMainsLogAtInfoByDefault() throws Exception {
    Output out = runGold(Map.of());
    assertThat(out.exitCode()).isZero();
    assertThat(out.stdout())
        .containsExactly("gold: silver/ticks has not moved since version -1; nothing committed");
    assertThat(out.stderr()).noneMatch(line -> line.contains("DEBUG")).hasSizeLessThan(5);
  }

  private Output runGold(Map<String, String> environment) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(BuildGoldJob.class.getName());
    command.add("--lakeRoot=" + tmp.resolve("lake"));
    Path stdout = tmp.resolve("stdout.txt");
    Path stderr = tmp.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().remove("TICKLAKE_LOG_LEVEL");
    builder.environment().putAll(environment);
    Process p = builder.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("BuildGoldJob ended").isTrue();
      return new Output(p.exitValue(), Files.readAllLines(stdout), Files.readAllLines(stderr));
    } finally {
      p.destroyForcibly();
    }
  }

  private record Output(int exitCode, List<String> stdout, List<String> stderr) {}
}

package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.orchestrator.core.retry.NonRetryableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three test pipelines for scheduler and executor tests, registered through {@link
 * PipelineProvider} (test class path only):
 *
 * <ul>
 *   <li>{@code noop}: returns at once; options {@code reads} and {@code writes} (each {@code
 *       namespace|name@version} entries separated by {@code ;}) make it report that lineage, so
 *       tests can follow lineage through any executor without a lake or Kafka;
 *   <li>{@code sleep}: sleeps {@code millis} (option, default 100), interruptibly;
 *   <li>{@code fail}: fails its first {@code failTimes} tries (option, default: every try) with a
 *       retryable {@link IllegalStateException}, or with a {@link NonRetryableException} when
 *       option {@code nonRetryable=true}; then succeeds;
 *   <li>{@code spawn}: starts a {@code sleep 600} process, writes its pid to the file of option
 *       {@code pidFile}, then sleeps {@code millis} (default 600000), interruptibly: a try with a
 *       descendant process, as a job that starts its own processes.
 * </ul>
 */
public final class TestPipelines implements PipelineProvider {

  @Override
  public void registerInto(Pipelines pipelines) {
    pipelines.register("noop", TestPipelines::noop);
    pipelines.register("sleep", TestPipelines::sleep);
    pipelines.register("fail", TestPipelines::fail);
    pipelines.register("spawn", TestPipelines::spawn);
  }

  private static PipelineOutcome noop(Map<String, String> options, RunContext ctx) {
    return new PipelineOutcome(
        "OK",
        "noop: nothing to do",
        Map.of(),
        new TaskLineage(
            declaredVersions(options.get("reads")), declaredVersions(options.get("writes"))));
  }

  /** {@code ns|name@version;ns|name@version} (the {@code noop} pipeline's lineage options). */
  private static List<DatasetVersion> declaredVersions(String option) {
    List<DatasetVersion> out = new ArrayList<>();
    if (option == null || option.isBlank()) {
      return out;
    }
    for (String entry : option.split(";")) {
      int bar = entry.indexOf('|');
      int at = entry.lastIndexOf('@');
      if (bar <= 0 || at < bar) {
        throw new NonRetryableException(
            "noop pipeline: lineage entry '" + entry + "' is not namespace|name@version");
      }
      out.add(
          new DatasetVersion(
              new Dataset(entry.substring(0, bar), entry.substring(bar + 1, at)),
              entry.substring(at + 1)));
    }
    return out;
  }

  private static PipelineOutcome sleep(Map<String, String> options, RunContext ctx)
      throws InterruptedException {
    long millis = Long.parseLong(options.getOrDefault("millis", "100"));
    Thread.sleep(millis);
    return PipelineOutcome.of("OK", "slept " + millis + " ms");
  }

  private static PipelineOutcome spawn(Map<String, String> options, RunContext ctx)
      throws InterruptedException, java.io.IOException {
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    java.nio.file.Files.writeString(
        java.nio.file.Path.of(options.get("pidFile")), Long.toString(sleeper.pid()));
    Thread.sleep(Long.parseLong(options.getOrDefault("millis", "600000")));
    return PipelineOutcome.of("OK", "spawned pid " + sleeper.pid());
  }

  private static PipelineOutcome fail(Map<String, String> options, RunContext ctx) {
    int failTimes = Integer.parseInt(options.getOrDefault("failTimes", "" + Integer.MAX_VALUE));
    if (ctx.tryNumber() > failTimes) {
      return PipelineOutcome.of("OK", "succeeded on try " + ctx.tryNumber());
    }
    String message = "fail pipeline: failing try " + ctx.tryNumber() + " on purpose";
    if (Boolean.parseBoolean(options.getOrDefault("nonRetryable", "false"))) {
      throw new NonRetryableException(message);
    }
    throw new IllegalStateException(message);
  }
}

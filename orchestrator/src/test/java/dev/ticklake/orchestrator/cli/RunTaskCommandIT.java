package dev.ticklake.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticklake run-task}: in this JVM through Dropwizard's CLI, and as a real process. */
class RunTaskCommandIT {

  @TempDir Path tmp;
  private Path config;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void files() throws Exception {
    Path dags = Files.createDirectories(tmp.resolve("dags"));
    Files.writeString(
        dags.resolve("t.yml"),
        """
        dag_id: t
        schedule: 1h
        start_date: 2026-01-01
        tasks:
          - {task_id: ok, pipeline: sleep, options: {millis: 10}}
          - {task_id: bad, pipeline: fail, upstream: [ok], retries: 3}
        """);
    config = tmp.resolve("run-task.yml");
    Files.writeString(
        config,
        "lakeRoot: "
            + tmp.resolve("lake")
            + "\ndagsFolder: "
            + dags
            + "\nloadShippedDags: false\nlogging:\n  level: WARN\n");
  }

  private Optional<Throwable> ticklake(String... args) {
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    Bootstrap<TickLakeConfiguration> bootstrap = new Bootstrap<>(new TickLakeApplication());
    bootstrap.setConfigurationSourceProvider(TickLakeApplication.configurationSourceProvider());
    bootstrap.addCommand(new RunTaskCommand(TickLakeApplication.DEFAULT_CONFIG, stdout));
    return new Cli(new JarLocation(getClass()), bootstrap, stdout, stderr).run(args);
  }

  @Test
  void runsOneTaskOnceAndPrintsItsLogAndOutcome() {
    Optional<Throwable> failure =
        ticklake(
            "run-task",
            "--config",
            config.toString(),
            "t",
            "ok",
            "--logical-time",
            "2026-01-01T05:00:00Z",
            "--conf",
            "{\"a\": 1}");

    assertThat(failure).isEmpty();
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(stdout)
        .contains(
            "conf (not read by pipelines yet): {\"a\":1}",
            "start try 1 of t__run_task__2026-01-01T05:00:00Z/ok: pipeline sleep, logical time"
                + " 2026-01-01T05:00:00Z, options {millis=10}",
            "end: success in ")
        .endsWith("outcome: OK: slept 10 ms\n");
  }

  @Test
  void aFailingTaskIsTriedOnceAndFailsTheCommand() {
    Optional<Throwable> failure =
        ticklake("run-task", "--config", config.toString(), "t", "bad", "--run-id", "my-run");

    assertThat(failure).isPresent();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("start try 1 of my-run/bad", "failing try 1 on purpose")
        .endsWith(
            "failed: java.lang.IllegalStateException: fail pipeline: failing try 1 on purpose\n");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "ticklake run-task: my-run/bad#1 failed: java.lang.IllegalStateException: fail"
                + " pipeline: failing try 1 on purpose\n");
  }

  @Test
  void unknownDagsTasksAndBadArgumentsSayWhatIsWrong() {
    assertThat(ticklake("run-task", "--config", config.toString(), "nope", "ok")).isPresent();
    assertThat(ticklake("run-task", "--config", config.toString(), "t", "nope")).isPresent();
    assertThat(
            ticklake(
                "run-task", "--config", config.toString(), "t", "ok", "--logical-time", "today"))
        .isPresent();
    assertThat(ticklake("run-task", "--config", config.toString(), "t", "ok", "--conf", "[1]"))
        .isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8).split("\n"))
        .containsExactly(
            "ticklake run-task: no DAG 'nope' (loaded: t)",
            "ticklake run-task: DAG 't' has no task 'nope' (tasks: ok, bad)",
            "ticklake run-task: --logical-time is not an ISO-8601 instant (e.g."
                + " 2026-01-01T00:00:00Z): today",
            "ticklake run-task: --conf must be a JSON object, e.g. {\"symbols\": [\"AAPL\"]}");
  }

  /** The real launcher path: a JVM running TickLakeApplication's main, exit codes 0 and 1. */
  @Test
  void theProcessExitsWithZeroOnSuccessAndOneOnFailure() throws Exception {
    assertThat(runProcess("ok")).isZero();
    assertThat(Files.readString(tmp.resolve("out-ok.txt"))).contains("outcome: OK: slept 10 ms");
    assertThat(runProcess("bad")).isEqualTo(1);
    assertThat(Files.readString(tmp.resolve("out-bad.txt")))
        .contains("ticklake run-task: t__run_task__2026-01-01T00:00:00Z/bad#1 failed:");
  }

  private int runProcess(String task) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(TickLakeApplication.class.getName());
    command.addAll(
        List.of(
            "run-task",
            "--config",
            config.toString(),
            "t",
            task,
            "--logical-time",
            "2026-01-01T00:00:00Z"));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("out-" + task + ".txt").toFile())
            .start();
    try {
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("run-task " + task + " ended").isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }
}

package dev.ticklake.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoadResult;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.core.exec.ConfTemplates;
import dev.ticklake.orchestrator.core.exec.InProcessExecutor;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.RunContext;
import dev.ticklake.orchestrator.core.exec.TaskResult;
import dev.ticklake.orchestrator.core.exec.TaskRun;
import dev.ticklake.transforms.delta.HadoopSettings;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ticklake run-task <dag_id> <task_id> [--logical-time ISO] [--run-id ID] [--conf JSON]
 * [--config ticklake.yml]}: runs one task's pipeline once, in this JVM, without a scheduler and
 * without recording anything in the database (like {@code airflow tasks test}). The DAGs, lake
 * root, Kafka and runner come from the configuration. Prints the try's log and a last line {@code
 * outcome: <status>: <summary>} or {@code failed: <error>}; exit code 0 or 1. The task's {@code
 * execution_timeout} applies; its retries do not (one try).
 *
 * <p>{@code --conf} (a JSON object) fills the task's {@code {{ conf.x }}} option templates, as a
 * triggered run's conf does ({@link ConfTemplates}).
 */
public final class RunTaskCommand extends ConfiguredCommand<TickLakeConfiguration> {

  private static final String PREFIX = "ticklake run-task: ";

  private final String defaultConfig;
  private final PrintStream out;

  public RunTaskCommand(String defaultConfig) {
    this(defaultConfig, System.out);
  }

  public RunTaskCommand(String defaultConfig, PrintStream out) {
    super("run-task", "Runs one task of a DAG once, locally, without recording state");
    this.defaultConfig = defaultConfig;
    this.out = out;
  }

  /** The configuration is an option here, so that the positionals stay dag_id and task_id. */
  @Override
  protected Argument addFileArgument(Subparser subparser) {
    return subparser
        .addArgument("--config")
        .dest("file")
        .setDefault(defaultConfig)
        .help("configuration file: a file on disk, else the copy of that name bundled in the jar");
  }

  @Override
  public void configure(Subparser p) {
    super.configure(p);
    p.addArgument("dag_id");
    p.addArgument("task_id");
    p.addArgument("--logical-time").help("ISO-8601 logical time (default: now)");
    p.addArgument("--run-id")
        .help("run id passed to the pipeline (default: <dag>__run_task__<time>)");
    p.addArgument("--conf").help("JSON object: fills the task's {{ conf.x }} options");
  }

  @Override
  protected void run(
      Bootstrap<TickLakeConfiguration> bootstrap, Namespace ns, TickLakeConfiguration config)
      throws Exception {
    HadoopSettings.setProcessWide(config.getHadoop());
    String dagId = ns.getString("dag_id");
    String taskId = ns.getString("task_id");
    Instant logicalTime = logicalTime(ns.getString("logical_time"));
    String runId =
        Optional.ofNullable(ns.getString("run_id")).orElse(dagId + "__run_task__" + logicalTime);
    validateConf(ns.getString("conf"));

    Pipelines pipelines = Pipelines.standard();
    DagLoadResult loaded =
        new DagLoader(pipelines)
            .load(Optional.of(Path.of(config.getDagsFolder())), config.isLoadShippedDags());
    DagDefinition dag =
        loaded.dags().stream()
            .filter(d -> d.dagId().equals(dagId))
            .findFirst()
            .orElseThrow(
                () ->
                    new CliException(
                        "no DAG '"
                            + dagId
                            + "' (loaded: "
                            + String.join(
                                ", ", loaded.dags().stream().map(DagDefinition::dagId).toList())
                            + (loaded.errors().isEmpty()
                                ? ""
                                : "; DAG file problems: " + loaded.errors())
                            + ")"));
    TaskDefinition task =
        dag.task(taskId)
            .orElseThrow(
                () ->
                    new CliException(
                        "DAG '"
                            + dagId
                            + "' has no task '"
                            + taskId
                            + "' (tasks: "
                            + String.join(
                                ", ", dag.tasks().stream().map(TaskDefinition::taskId).toList())
                            + ")"));
    RunContext ctx =
        new RunContext(
            config.getLakeRoot(),
            config.getKafka().bootstrapServers,
            runId,
            taskId,
            1,
            logicalTime,
            config.runnerSettings());
    Map<String, String> options;
    try {
      options = ConfTemplates.render(task.options(), ns.getString("conf"));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    TaskRun run = new TaskRun(task.pipeline(), options, ctx, task.executionTimeout());
    TaskResult result;
    try (InProcessExecutor executor =
        new InProcessExecutor(pipelines, 1, Duration.ofSeconds(10), Clock.systemUTC())) {
      CompletableFuture<TaskResult> done = new CompletableFuture<>();
      executor.submit(run, done::complete);
      result = done.get(365, TimeUnit.DAYS);
    }
    out.print(result.log());
    if (result.succeeded()) {
      out.println("outcome: " + result.outcome().status() + ": " + result.outcome().summary());
      out.flush();
      return;
    }
    out.println("failed: " + result.error());
    out.flush();
    throw new CliException(run.key() + " failed: " + result.error());
  }

  private static Instant logicalTime(String text) {
    if (text == null) {
      return Instant.now();
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CliException(
          "--logical-time is not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z): " + text);
    }
  }

  private void validateConf(String conf) {
    if (conf == null) {
      return;
    }
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(conf);
    } catch (JsonProcessingException e) {
      throw new CliException("--conf is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new CliException("--conf must be a JSON object, e.g. {\"symbols\": [\"AAPL\"]}");
    }
    out.println("conf (not read by pipelines yet): " + node);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (!CliException.printUserError(cli, PREFIX, e)) {
      super.onError(cli, namespace, e);
    }
  }
}

package dev.ticklake.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

/**
 * {@code ticklake dags list|trigger|pause|unpause|cancel}: a REST client of a running server (see
 * {@link ApiOptions} for {@code --url} and credentials).
 *
 * <pre>
 * ticklake dags list
 * ticklake dags trigger medallion --conf '{"symbols": ["AAPL"]}'
 * ticklake dags pause medallion
 * ticklake dags unpause medallion --url http://orchestrator:8080 --token $TOKEN
 * ticklake dags cancel medallion__manual__2026-11-21T14:00:00.123Z
 * ticklake dags cancel medallion__manual__2026-11-21T14:00:00.123Z --task build_gold
 * </pre>
 *
 * Exits non-zero with one line on stderr when the server is not reachable, refuses the credentials
 * (401), does not know the DAG (404) or rejects the input.
 */
public final class DagsCommand extends Command {

  static final String NAME = "dags";
  private static final String ERROR_PREFIX = "ticklake dags: ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final Function<String, String> env;

  public DagsCommand() {
    this(System.out, System::getenv);
  }

  /** For tests: where to print and how to read environment variables. */
  public DagsCommand(PrintStream out, Function<String, String> env) {
    super(
        NAME,
        "Lists, triggers, pauses and unpauses DAGs, and cancels runs, of a running TickLake"
            + " server");
    this.out = out;
    this.env = env;
  }

  @Override
  public void configure(Subparser subparser) {
    Subparsers actions =
        subparser.addSubparsers().dest("action").title("actions").metavar("<action>");
    Subparser list = actions.addParser("list").help("DAGs with schedule, paused flag and tasks");
    ApiOptions.addTo(list);
    Subparser trigger = actions.addParser("trigger").help("start a manual run");
    trigger.addArgument("dag").help("DAG id");
    trigger.addArgument("--conf").help("JSON object passed to the run, e.g. '{\"k\": 1}'");
    ApiOptions.addTo(trigger);
    Subparser pause = actions.addParser("pause").help("no new scheduled runs");
    pause.addArgument("dag").help("DAG id");
    ApiOptions.addTo(pause);
    Subparser unpause = actions.addParser("unpause").help("scheduled runs again");
    unpause.addArgument("dag").help("DAG id");
    ApiOptions.addTo(unpause);
    Subparser cancel =
        actions.addParser("cancel").help("cancel a queued or running run, or one of its tasks");
    cancel.addArgument("run").help("run id (as 'trigger' prints it)");
    cancel.addArgument("--task").help("cancel only this task of the run");
    ApiOptions.addTo(cancel);
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) {
    String action = namespace.getString("action");
    switch (action) {
      case "list" -> list(ApiOptions.client(namespace, env));
      case "trigger" -> trigger(namespace);
      case "pause" -> setPaused(namespace, true);
      case "unpause" -> setPaused(namespace, false);
      case "cancel" -> cancel(namespace);
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
  }

  private void list(ApiClient api) {
    JsonNode dags = api.get("/api/v1/dags");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"DAG_ID", "PAUSED", "SCHEDULE", "TASKS"});
    for (JsonNode d : dags) {
      List<String> tasks = new ArrayList<>();
      d.path("tasks").forEach(t -> tasks.add(t.path("taskId").asText()));
      rows.add(
          new String[] {
            d.path("dagId").asText(),
            String.valueOf(d.path("paused").asBoolean()),
            d.path("schedule").asText(),
            String.join(",", tasks)
          });
    }
    int[] width = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < 4; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      out.println(
          String.format(
                  "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s",
                  r[0],
                  r[1],
                  r[2],
                  r[3])
              .stripTrailing());
    }
    out.println(dags.size() + (dags.size() == 1 ? " DAG" : " DAGs"));
  }

  private void trigger(Namespace ns) {
    String dag = ns.getString("dag");
    ObjectNode body = JSON.createObjectNode();
    String conf = ns.getString("conf");
    if (conf != null) {
      JsonNode node;
      try {
        node = JSON.readTree(conf);
      } catch (IOException e) {
        throw new IllegalArgumentException("--conf is not valid JSON: " + e.getMessage());
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("--conf must be a JSON object, e.g. '{\"k\": 1}'");
      }
      body.set("conf", node);
    }
    ApiClient api = ApiOptions.client(ns, env);
    JsonNode run = api.post("/api/v1/dags/" + ApiClient.segment(dag) + "/runs", body);
    out.println(
        "triggered "
            + dag
            + ": run "
            + run.path("runId").asText()
            + " ("
            + run.path("state").asText()
            + ")");
  }

  private void setPaused(Namespace ns, boolean paused) {
    String dag = ns.getString("dag");
    ObjectNode body = JSON.createObjectNode().put("paused", paused);
    JsonNode result =
        ApiOptions.client(ns, env).patch("/api/v1/dags/" + ApiClient.segment(dag), body);
    out.println(
        (result.path("paused").asBoolean() ? "paused " : "unpaused ")
            + result.path("dagId").asText(dag));
  }

  private void cancel(Namespace ns) {
    String run = ns.getString("run");
    String task = ns.getString("task");
    ApiClient api = ApiOptions.client(ns, env);
    String runPath = "/api/v1/runs/" + ApiClient.segment(run);
    if (task == null) {
      JsonNode result = api.post(runPath + "/cancel", null);
      List<String> canceled = new ArrayList<>();
      result.path("canceled").forEach(t -> canceled.add(t.asText()));
      out.println(
          "canceled run "
              + result.path("run").path("runId").asText(run)
              + " ("
              + result.path("run").path("state").asText()
              + "); tasks canceled: "
              + (canceled.isEmpty() ? "none" : String.join(", ", canceled)));
    } else {
      JsonNode result = api.post(runPath + "/tasks/" + ApiClient.segment(task) + "/cancel", null);
      out.println(
          "canceled task "
              + task
              + " of run "
              + run
              + " ("
              + result.path("state").asText()
              + "): "
              + result.path("stateReason").asText());
    }
  }

  /** User errors get one line; anything unexpected keeps its stack trace. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (!CliException.printUserError(cli, ERROR_PREFIX, e, IllegalArgumentException.class)) {
      super.onError(cli, namespace, e);
    }
  }
}

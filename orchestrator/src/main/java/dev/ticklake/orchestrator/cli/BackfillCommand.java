package dev.ticklake.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticklake.orchestrator.core.dag.Durations;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ticklake backfill <dag_id> --from ISO --to ISO [--max-active-runs N] [--conf JSON]
 * [--wait]}: creates a backfill on a running server through the REST API, with the same {@link
 * ApiClient} and options ({@code --url} and credentials, see {@link ApiOptions}) as the {@code
 * dags} commands. With {@code --wait} it prints a line whenever the run counts change until the
 * backfill ends; exit code 0 when it completed, 1 when it failed, was canceled, or the request was
 * rejected (one line on stderr with the server's message).
 */
public final class BackfillCommand extends Command {

  private static final String PREFIX = "ticklake backfill: ";
  private static final Set<String> TERMINAL = Set.of("completed", "failed", "canceled");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final Function<String, String> env;

  public BackfillCommand() {
    this(System.out, System::getenv);
  }

  /** For tests: where to print and how to read environment variables. */
  public BackfillCommand(PrintStream out, Function<String, String> env) {
    super("backfill", "Creates a backfill of a DAG over a date range on a running server");
    this.out = out;
    this.env = env;
  }

  @Override
  public void configure(Subparser p) {
    p.addArgument("dag_id").help("the DAG to backfill");
    p.addArgument("--from")
        .required(true)
        .help("first logical time, ISO-8601 (2026-01-01T00:00:00Z)");
    p.addArgument("--to").required(true).help("last logical time, ISO-8601, included");
    p.addArgument("--max-active-runs")
        .type(Integer.class)
        .help("runs of this backfill at once (server default 1)");
    p.addArgument("--conf").help("JSON object given to every run");
    p.addArgument("--wait")
        .action(Arguments.storeTrue())
        .help("print progress until the backfill ends; exit 1 unless it completed");
    p.addArgument("--poll-interval").setDefault("1s").help("how often --wait asks the server");
    ApiOptions.addTo(p);
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
    Duration poll =
        Durations.parse(ns.getString("poll_interval"))
            .orElseThrow(
                () ->
                    new CliException(
                        "--poll-interval is not a duration (e.g. 500ms, 2s): "
                            + ns.getString("poll_interval")));
    ApiClient api = ApiOptions.client(ns, env);
    ObjectNode body = JSON.createObjectNode();
    body.put("dagId", ns.getString("dag_id"));
    body.put("from", ns.getString("from"));
    body.put("to", ns.getString("to"));
    if (ns.getInt("max_active_runs") != null) {
      body.put("maxActiveRuns", ns.getInt("max_active_runs"));
    }
    if (ns.getString("conf") != null) {
      try {
        body.set("conf", JSON.readTree(ns.getString("conf")));
      } catch (JsonProcessingException e) {
        throw new CliException("--conf is not valid JSON: " + e.getOriginalMessage());
      }
    }
    JsonNode b = api.post("/api/v1/backfills", body);
    long id = b.get("id").asLong();
    out.println(
        "backfill "
            + id
            + " of "
            + b.get("dagId").asText()
            + " created: "
            + b.get("plannedRuns").asInt()
            + " runs in ["
            + b.get("from").asText()
            + ", "
            + b.get("to").asText()
            + "], at most "
            + b.get("maxActiveRuns").asInt()
            + " at once");
    if (!ns.getBoolean("wait")) {
      return;
    }
    String last = "";
    while (true) {
      JsonNode seen = api.get("/api/v1/backfills/" + id);
      String line = progress(seen);
      if (!line.equals(last)) {
        out.println(line);
        out.flush();
        last = line;
      }
      String state = seen.get("state").asText();
      if (TERMINAL.contains(state)) {
        if (!state.equals("completed")) {
          throw new CliException("backfill " + id + " ended " + state);
        }
        return;
      }
      Thread.sleep(poll.toMillis()); // polling a remote server: the interval is the user's choice
    }
  }

  /** {@code backfill 3: running, 2/4 runs ended (success 2, failed 0), running 2, queued 0}. */
  static String progress(JsonNode b) {
    JsonNode runs = b.get("runs");
    int success = runs.path("success").asInt();
    int failed = runs.path("failed").asInt();
    return "backfill "
        + b.get("id").asLong()
        + ": "
        + b.get("state").asText()
        + ", "
        + (success + failed)
        + "/"
        + b.get("plannedRuns").asInt()
        + " runs ended (success "
        + success
        + ", failed "
        + failed
        + "), running "
        + runs.path("running").asInt()
        + ", queued "
        + runs.path("queued").asInt()
        + (b.get("skippedRuns").asInt() > 0 ? ", skipped " + b.get("skippedRuns").asInt() : "");
  }

  /** User errors get one line (as for {@code dags}); anything unexpected keeps its stack trace. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (!CliException.printUserError(cli, PREFIX, e)) {
      super.onError(cli, namespace, e);
    }
  }
}

package dev.ticklake.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ticklake dags ...} through Dropwizard's CLI against a real server. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DagsCommandTest {

  private static final Path DIR = dir();

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(
          DIR,
          ConfigOverride.config("scheduler.enabled", "false"),
          ConfigOverride.config("auth.apiTokens", "cli-token"));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-cli");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/hello.yml"),
          "dag_id: hello\nschedule: 1h\nstart_date: 2026-01-01\npaused: true\ntasks:\n"
              + "  - {task_id: a, pipeline: noop}\n  - {task_id: b, pipeline: noop, upstream: [a]}\n");
      Files.writeString(
          d.resolve("dags/manual.yml"),
          "dag_id: manual\ntasks:\n  - {task_id: only, pipeline: noop}\n");
      Files.writeString(
          d.resolve("dags/capped.yml"),
          "dag_id: capped\nmax_queued_runs: 2\ntasks:\n  - {task_id: a, pipeline: noop}\n"
              + "  - {task_id: b, pipeline: noop, upstream: [a]}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void reset() {
    out.reset();
    err.reset();
    env.clear();
  }

  private Optional<Throwable> ticklake(String... args) {
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    Bootstrap<TickLakeConfiguration> bootstrap = new Bootstrap<>(new TickLakeApplication());
    bootstrap.addCommand(new DagsCommand(stdout, env::get));
    return new Cli(new JarLocation(getClass()), bootstrap, stdout, stderr).run(args);
  }

  private String url() {
    return "http://localhost:" + APP.getLocalPort();
  }

  /** No password file of a real server on this machine may be picked up. */
  private String noFile() {
    return DIR.resolve("no-such-file").toString();
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listShowsEveryDagWithoutCredentials() {
    assertThat(ticklake("dags", "list", "--url", url(), "--password-file", noFile())).isEmpty();
    assertThat(stdout())
        .isEqualTo(
            "DAG_ID  PAUSED  SCHEDULE  TASKS\n"
                + "capped  false   none      a,b\n"
                + "hello   true    1h        a,b\n"
                + "manual  false   none      only\n"
                + "3 DAGs\n");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void triggerWithConfAndPasswordPrintsTheRun() {
    assertThat(
            ticklake(
                "dags",
                "trigger",
                "manual",
                "--conf",
                "{\"symbols\": [\"AAPL\"]}",
                "--url",
                url(),
                "--password",
                "test-pass",
                "--password-file",
                noFile()))
        .isEmpty();
    assertThat(stdout()).matches("triggered manual: run manual__manual__\\S+ \\(queued\\)\n");
  }

  @Test
  void pauseAndUnpauseWithTokensFromOptionOrEnvironmentOrThePasswordFile() throws Exception {
    env.put("TICKLAKE_API_TOKEN", "cli-token");
    assertThat(ticklake("dags", "unpause", "hello", "--url", url(), "--password-file", noFile()))
        .isEmpty();
    assertThat(stdout()).isEqualTo("unpaused hello\n");
    env.clear();
    out.reset();
    Path file = DIR.resolve("admin-password.txt");
    Files.writeString(file, "test-pass\n");
    assertThat(
            ticklake("dags", "pause", "hello", "--url", url(), "--password-file", file.toString()))
        .isEmpty();
    assertThat(stdout()).isEqualTo("paused hello\n");
    out.reset();
    env.put("TICKLAKE_ADMIN_PASSWORD", "test-pass");
    assertThat(ticklake("dags", "pause", "hello", "--url", url(), "--password-file", noFile()))
        .isEmpty();
    assertThat(stdout()).isEqualTo("paused hello\n");
    out.reset();
    assertThat(ticklake("dags", "list", "--url", url())).isEmpty();
    assertThat(stdout()).contains("hello   true ");
  }

  @Test
  void wrongOrMissingCredentialsAre401WithAHint() {
    String hint =
        ". Pass --user/--password (or --token), or set TICKLAKE_ADMIN_PASSWORD or"
            + " TICKLAKE_API_TOKEN; a generated password is in the server's auth.passwordFile"
            + " (default ./data/admin-password.txt)\n";
    assertThat(ticklake("dags", "pause", "hello", "--url", url(), "--password-file", noFile()))
        .isPresent();
    assertThat(stderr())
        .isEqualTo(
            "ticklake dags: 401 Unauthorized from " + url() + ": no credentials were sent" + hint);
    err.reset();
    assertThat(
            ticklake(
                "dags",
                "trigger",
                "hello",
                "--url",
                url(),
                "--user",
                "admin",
                "--password",
                "wrong",
                "--password-file",
                noFile()))
        .isPresent();
    assertThat(stderr())
        .isEqualTo(
            "ticklake dags: 401 Unauthorized from "
                + url()
                + ": the credentials were refused"
                + hint);
    err.reset();
    assertThat(ticklake("dags", "unpause", "hello", "--url", url(), "--token", "nope")).isPresent();
    assertThat(stderr()).startsWith("ticklake dags: 401 Unauthorized from ");
  }

  @Test
  void unknownDagIs404AndBadConfIsRejectedBeforeCalling() {
    assertThat(ticklake("dags", "pause", "nope", "--url", url(), "--token", "cli-token"))
        .isPresent();
    assertThat(stderr()).isEqualTo("ticklake dags: not found: no DAG 'nope'\n");
    err.reset();
    assertThat(ticklake("dags", "trigger", "nope", "--url", url(), "--token", "cli-token"))
        .isPresent();
    assertThat(stderr()).isEqualTo("ticklake dags: not found: no DAG 'nope'\n");
    err.reset();
    assertThat(
            ticklake(
                "dags",
                "trigger",
                "hello",
                "--conf",
                "[1]",
                "--url",
                url(),
                "--token",
                "cli-token"))
        .isPresent();
    assertThat(stderr())
        .isEqualTo("ticklake dags: --conf must be a JSON object, e.g. '{\"k\": 1}'\n");
    err.reset();
    assertThat(ticklake("dags", "trigger", "hello", "--conf", "{x", "--url", url())).isPresent();
    assertThat(stderr()).startsWith("ticklake dags: --conf is not valid JSON: ");
  }

  /** The run id that {@code dags trigger} printed. */
  private String triggered(String dag) {
    out.reset();
    assertThat(ticklake("dags", "trigger", dag, "--url", url(), "--token", "cli-token")).isEmpty();
    String line = stdout();
    out.reset();
    return line.substring(line.indexOf(": run ") + 6, line.indexOf(" (queued)"));
  }

  /**
   * The scheduler is off here: triggered runs stay queued, so the queue bound is reached exactly.
   */
  @Test
  void aFullQueueSaysHowToRaiseTheLimitAndCancelFreesAPlace() {
    String first = triggered("capped");
    String second = triggered("capped");
    assertThat(ticklake("dags", "trigger", "capped", "--url", url(), "--token", "cli-token"))
        .isPresent();
    assertThat(stderr())
        .isEqualTo(
            "ticklake dags: POST /api/v1/dags/capped/runs failed with 409: DAG 'capped' has 2"
                + " manual runs queued already, its limit (max_queued_runs: 2, set in "
                + DIR.resolve("dags/capped.yml")
                + "): wait until some start, cancel some (ticklake dags cancel RUN_ID), or raise"
                + " max_queued_runs in the DAG file\n");
    err.reset();

    assertThat(
            ticklake(
                "dags", "cancel", first, "--task", "a", "--url", url(), "--token", "cli-token"))
        .isEmpty();
    assertThat(stdout())
        .isEqualTo("canceled task a of run " + first + " (canceled): canceled by token:cli-…\n");
    out.reset();
    assertThat(ticklake("dags", "cancel", first, "--url", url(), "--token", "cli-token")).isEmpty();
    assertThat(stdout()).isEqualTo("canceled run " + first + " (canceled); tasks canceled: b\n");
    out.reset();
    String third = triggered("capped"); // the canceled run left the queue
    assertThat(third).isNotIn(first, second);

    assertThat(ticklake("dags", "cancel", first, "--url", url(), "--token", "cli-token"))
        .isPresent();
    assertThat(stderr())
        .isEqualTo(
            "ticklake dags: POST /api/v1/runs/"
                + ApiClient.segment(first)
                + "/cancel failed with 409: run "
                + first
                + " is already canceled: only queued or running runs can be canceled (clear it"
                + " to run it again)\n");
    err.reset();
    assertThat(ticklake("dags", "cancel", "nope", "--url", url(), "--token", "cli-token"))
        .isPresent();
    assertThat(stderr()).isEqualTo("ticklake dags: not found: no run 'nope'\n");
    err.reset();
    assertThat(
            ticklake(
                "dags", "cancel", second, "--task", "zz", "--url", url(), "--token", "cli-token"))
        .isPresent();
    assertThat(stderr())
        .isEqualTo("ticklake dags: not found: no task 'zz' in run '" + second + "'\n");
    for (String run : new String[] {second, third}) {
      assertThat(ticklake("dags", "cancel", run, "--url", url(), "--token", "cli-token")).isEmpty();
    }
    assertThat(stdout())
        .isEqualTo(
            "canceled run "
                + second
                + " (canceled); tasks canceled: a, b\n"
                + "canceled run "
                + third
                + " (canceled); tasks canceled: a, b\n");
  }

  @Test
  void unreachableServerSaysSo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(ticklake("dags", "list", "--url", "http://127.0.0.1:" + port)).isPresent();
    assertThat(stderr())
        .isEqualTo(
            "ticklake dags: cannot reach the TickLake server at http://127.0.0.1:"
                + port
                + " (connection refused); is it running (./ticklake server or ./ticklake demo)?"
                + " Pass --url for another address\n");
    err.reset();
    assertThat(ticklake("dags", "list", "--url", "localhost:8080")).isPresent();
    assertThat(stderr())
        .isEqualTo(
            "ticklake dags: --url 'localhost:8080' is not an http(s) URL like http://localhost:8080\n");
  }
}

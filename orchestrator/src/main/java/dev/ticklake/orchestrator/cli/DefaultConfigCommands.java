package dev.ticklake.orchestrator.cli;

import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * Dropwizard's {@code server} and {@code check} commands, except that the configuration file
 * argument defaults to a given name instead of "no configuration at all".
 */
public final class DefaultConfigCommands {

  // argparse4j appends "(default: ticklake.yml)" itself.
  private static final String HELP =
      "configuration file: a file on disk, else the copy of that name bundled in the jar";

  private DefaultConfigCommands() {}

  /**
   * {@code server [file]} and {@code demo [file]}: run the service ({@code demo} also starts the
   * embedded broker and the synthetic feed); {@code file} defaults to the bundled config. Before
   * anything starts, each port the service will listen on is checked: a taken one fails at once
   * with one line that names the setting to change, not after start-up with a stack trace.
   */
  public static final class Service<T extends Configuration> extends ServerCommand<T> {
    private final String defaultConfig;
    private final boolean demo;

    /** The {@code server} command. */
    public static <T extends Configuration> Service<T> server(
        Application<T> application, String defaultConfig) {
      return new Service<>(
          application, "server", "Runs the TickLake service", defaultConfig, false);
    }

    /** The {@code demo} command. */
    public static <T extends Configuration> Service<T> demo(
        Application<T> application, String defaultConfig) {
      return new Service<>(
          application, "demo", "Runs the TickLake demo on this machine", defaultConfig, true);
    }

    private Service(
        Application<T> application,
        String name,
        String description,
        String defaultConfig,
        boolean demo) {
      super(application, name, description);
      this.defaultConfig = defaultConfig;
      this.demo = demo;
    }

    @Override
    protected void run(Bootstrap<T> bootstrap, Namespace namespace, T configuration)
        throws Exception {
      if (configuration instanceof TickLakeConfiguration c) {
        c.setDemoMode(demo);
        ServicePorts.of(c).forEach(StartupFailure.Port::checkFree);
      }
      super.run(bootstrap, namespace, configuration);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
      Optional<String> message = StartupFailure.userMessage(e);
      if (message.isPresent()) {
        cli.getStdErr().println("ticklake " + getName() + ": " + message.get());
      } else {
        super.onError(cli, namespace, e);
      }
    }

    @Override
    protected Argument addFileArgument(Subparser subparser) {
      return super.addFileArgument(subparser).setDefault(defaultConfig).help(HELP);
    }
  }

  /** {@code check [file]}: validates a configuration; {@code file} defaults to the bundled one. */
  public static final class Check<T extends Configuration> extends CheckCommand<T> {
    private final String defaultConfig;

    public Check(Application<T> application, String defaultConfig) {
      super(application);
      this.defaultConfig = defaultConfig;
    }

    @Override
    protected Argument addFileArgument(Subparser subparser) {
      return super.addFileArgument(subparser).setDefault(defaultConfig).help(HELP);
    }
  }
}

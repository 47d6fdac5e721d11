package dev.ticklake.orchestrator.cli;

import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Argument;
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

  /** {@code server [file]}: runs the service; {@code file} defaults to the bundled config. */
  public static final class Server<T extends Configuration> extends ServerCommand<T> {
    private final String defaultConfig;

    public Server(Application<T> application, String defaultConfig) {
      super(application);
      this.defaultConfig = defaultConfig;
    }

    @Override
    protected Argument addFileArgument(Subparser subparser) {
      return super.addFileArgument(subparser).setDefault(defaultConfig).help(HELP);
    }
  }

  /**
   * {@code demo [file]}: the one-command demo. Today it runs the service with the bundled
   * configuration; the ingestion and orchestrator issues add the embedded Kafka broker, the
   * synthetic feed and the scheduled DAGs.
   */
  public static final class Demo<T extends Configuration> extends ServerCommand<T> {
    private final String defaultConfig;

    public Demo(Application<T> application, String defaultConfig) {
      super(application, "demo", "Runs the TickLake demo on this machine");
      this.defaultConfig = defaultConfig;
    }

    @Override
    protected void run(
        io.dropwizard.core.setup.Bootstrap<T> bootstrap,
        net.sourceforge.argparse4j.inf.Namespace namespace,
        T configuration)
        throws Exception {
      if (configuration instanceof TickLakeConfiguration c) {
        c.setDemoMode(true);
      }
      super.run(bootstrap, namespace, configuration);
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

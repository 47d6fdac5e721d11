package dev.ticklake.orchestrator;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The TickLake service: REST API under {@code /api/v1}, admin endpoints (health checks, metrics) on
 * a separate port.
 *
 * <p>How to run (after {@code ./mvnw -pl orchestrator -am package}):
 *
 * <pre>
 * java -jar orchestrator/target/ticklake.jar server               # bundled ticklake.yml
 * java -jar orchestrator/target/ticklake.jar server my-config.yml # your own file
 * TICKLAKE_LAKE_ROOT=/data/lake TICKLAKE_HTTP_PORT=9080 TICKLAKE_ADMIN_PORT=9081 \
 *     java -jar orchestrator/target/ticklake.jar server
 * curl localhost:8080/api/v1/version      # {"name":"ticklake","version":"..."}
 * curl localhost:8081/healthcheck         # includes "lake-root"
 * </pre>
 *
 * <p>Configuration is read from the named file if it exists on disk, else from the classpath; in
 * either case {@code ${VAR}} and {@code ${VAR:-default}} are replaced from the environment first
 * (an unset variable without a default stays as written). Defaults: application port 8080, admin
 * port 8081, console logging at INFO, lake root {@code ./lake}.
 */
public class TickLakeApplication extends Application<TickLakeConfiguration> {

  /** Name of the configuration bundled in the jar, used when no file is given. */
  public static final String DEFAULT_CONFIG = "ticklake.yml";

  public static final String NAME = "ticklake";

  public static void main(String[] args) throws Exception {
    new TickLakeApplication().run(args);
  }

  /** Where the service reads its configuration: file, else classpath; env vars substituted. */
  public static ConfigurationSourceProvider configurationSourceProvider() {
    return new SubstitutingSourceProvider(
        new FileOrClasspathSourceProvider(), new EnvironmentVariableSubstitutor(false));
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public void initialize(Bootstrap<TickLakeConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(configurationSourceProvider());
  }

  /** Replaces Dropwizard's {@code server}/{@code check} with ones that default the file. */
  @Override
  protected void addDefaultCommands(Bootstrap<TickLakeConfiguration> bootstrap) {
    bootstrap.addCommand(new DefaultConfigCommands.Server<>(this, DEFAULT_CONFIG));
    bootstrap.addCommand(new DefaultConfigCommands.Check<>(this, DEFAULT_CONFIG));
    bootstrap.addCommand(new DefaultConfigCommands.Demo<>(this, DEFAULT_CONFIG));
  }

  @Override
  public void run(TickLakeConfiguration configuration, Environment environment) {
    environment
        .healthChecks()
        .register(LakeRootHealthCheck.NAME, new LakeRootHealthCheck(configuration.getLakeRoot()));
    environment.jersey().register(new VersionResource(NAME, VersionResource.buildVersion()));
    environment.lifecycle().addServerLifecycleListener(server -> printUrls(server, configuration));
  }

  /** Tells the user where everything is, once the ports are bound. */
  private static void printUrls(
      org.eclipse.jetty.server.Server server, TickLakeConfiguration configuration) {
    StringBuilder sb = new StringBuilder("\n  TickLake is up\n");
    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
      if (c instanceof org.eclipse.jetty.server.NetworkConnector n) {
        String base = "http://localhost:" + n.getLocalPort();
        // Dropwizard names application connectors "application"; the others are admin.
        if ("application".equals(c.getName())) {
          sb.append("  API:                     ").append(base).append("/api/v1/version\n");
        } else {
          sb.append("  admin (health, metrics): ").append(base).append("/healthcheck\n");
        }
      }
    }
    sb.append("  lake root:               ").append(configuration.getLakeRoot()).append('\n');
    System.out.println(sb);
  }
}

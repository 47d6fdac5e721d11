package dev.ticklake.orchestrator;

import dev.ticklake.orchestrator.api.resources.DagsResource;
import dev.ticklake.orchestrator.core.dag.Durations;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.RunnerSettings;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.core.scheduler.SchedulerSettings;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.Database;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

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
 * curl localhost:8081/healthcheck         # includes "lake-root" and "database"
 * </pre>
 *
 * <p>Configuration is read from the named file if it exists on disk, else from the classpath; in
 * either case {@code ${VAR}} and {@code ${VAR:-default}} are replaced from the environment first
 * (an unset variable without a default stays as written). Defaults: application port 8080, admin
 * port 8081, console logging at INFO, lake root {@code ./lake}, database an H2 file under {@code
 * ./data} (PostgreSQL with {@code TICKLAKE_DB_URL=jdbc:postgresql://...}).
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
    bootstrap.addCommand(new FeedCommand());
    bootstrap.addCommand(new dev.ticklake.orchestrator.bench.BenchCommand());
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
    // Migrated before anything is served. The scheduler, executors and API build their DAOs on
    // the Jdbi this returns.
    Jdbi jdbi = Database.open(environment, configuration.getDatabase());
    String bootstrapServers = configuration.getKafka().bootstrapServers;
    DemoServices demo = null;
    if (configuration.isDemoMode()) {
      demo = new DemoServices(configuration);
      bootstrapServers = demo.startBroker();
      environment.lifecycle().manage(demo); // started before the scheduler, stopped after it
    }
    scheduler = buildScheduler(configuration, jdbi, bootstrapServers);
    if (configuration.getScheduler().enabled || configuration.isDemoMode()) {
      environment.lifecycle().manage(scheduler);
    } else {
      // API only: DAGs read once at startup; triggered runs wait for a scheduler elsewhere.
      scheduler.refreshDags();
    }
    {
      environment
          .jersey()
          .register(
              new DagsResource(
                  scheduler,
                  new DagDao(jdbi),
                  new DagRunDao(jdbi),
                  new TaskInstanceDao(jdbi),
                  new TaskLogDao(jdbi),
                  environment.getObjectMapper()));
    }
    environment
        .healthChecks()
        .register(LakeRootHealthCheck.NAME, new LakeRootHealthCheck(configuration.getLakeRoot()));
    environment.jersey().register(new VersionResource(NAME, VersionResource.buildVersion()));
    DemoServices demoServices = demo;
    environment
        .lifecycle()
        .addServerLifecycleListener(server -> printUrls(server, configuration, demoServices));
  }

  /** The scheduler of the last {@link #run} (not started when {@code scheduler.enabled: false}). */
  private Scheduler scheduler;

  public Scheduler scheduler() {
    return scheduler;
  }

  static Scheduler buildScheduler(
      TickLakeConfiguration configuration, Jdbi jdbi, String bootstrapServers) {
    TickLakeConfiguration.SchedulerConfig sc = configuration.getScheduler();
    SchedulerSettings settings =
        new SchedulerSettings(
            configuration.getLakeRoot(),
            bootstrapServers,
            new RunnerSettings(configuration.getRunner(), configuration.getFlinkMaster()),
            Optional.of(Path.of(configuration.getDagsFolder())),
            configuration.isLoadShippedDags(),
            sc.workers,
            duration("scheduler.loopInterval", sc.loopInterval),
            duration("scheduler.dagRefreshInterval", sc.dagRefreshInterval),
            duration("scheduler.heartbeatTimeout", sc.heartbeatTimeout),
            duration("scheduler.interruptGrace", sc.interruptGrace));
    return new Scheduler(jdbi, Pipelines.standard(), settings, Clock.systemUTC());
  }

  private static Duration duration(String key, String text) {
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(key + ": not a duration (e.g. 100ms, 10s): " + text));
  }

  /** Tells the user where everything is, once the ports are bound. */
  private static void printUrls(
      org.eclipse.jetty.server.Server server,
      TickLakeConfiguration configuration,
      DemoServices demo) {
    StringBuilder sb = new StringBuilder("\n  TickLake is up\n");
    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
      if (c instanceof org.eclipse.jetty.server.NetworkConnector n) {
        String base = "http://localhost:" + n.getLocalPort();
        // Dropwizard names application connectors "application"; the others are admin.
        if ("application".equals(c.getName())) {
          sb.append("  API:                     ").append(base).append("/api/v1/version\n");
          sb.append("  DAGs:                    ").append(base).append("/api/v1/dags\n");
          sb.append("  medallion runs:          ")
              .append(base)
              .append("/api/v1/dags/medallion/runs\n");
        } else {
          sb.append("  admin (health, metrics): ").append(base).append("/healthcheck\n");
        }
      }
    }
    sb.append("  lake root:               ").append(configuration.getLakeRoot()).append('\n');
    if (demo != null) {
      sb.append("  Kafka (embedded):        ").append(demo.bootstrapServers()).append('\n');
      sb.append("  synthetic feed:          ")
          .append(configuration.getDemo().feedRate)
          .append(" events/s, seed ")
          .append(demo.seed())
          .append('\n');
    }
    System.out.println(sb);
  }
}

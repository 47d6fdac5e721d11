package dev.ticklake.orchestrator;

import dev.ticklake.orchestrator.auth.AdminCredentials;
import dev.ticklake.orchestrator.auth.AuthFilter;
import dev.ticklake.orchestrator.cli.BackfillCommand;
import dev.ticklake.orchestrator.cli.DagsCommand;
import dev.ticklake.orchestrator.cli.DefaultConfigCommands;
import dev.ticklake.orchestrator.cli.FeedCommand;
import dev.ticklake.orchestrator.cli.RunTaskCommand;
import dev.ticklake.orchestrator.core.backfill.BackfillLimits;
import dev.ticklake.orchestrator.core.backfill.Backfills;
import dev.ticklake.orchestrator.core.clear.RunClearer;
import dev.ticklake.orchestrator.core.dag.Durations;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.SubprocessSettings;
import dev.ticklake.orchestrator.core.lineage.Lineage;
import dev.ticklake.orchestrator.core.lineage.LineageSettings;
import dev.ticklake.orchestrator.core.metrics.SchedulerMetrics;
import dev.ticklake.orchestrator.core.quality.DataQualityReader;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.core.scheduler.SchedulerSettings;
import dev.ticklake.orchestrator.db.AdminCredentialDao;
import dev.ticklake.orchestrator.db.BackfillDao;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.Database;
import dev.ticklake.orchestrator.db.SchedulerHeartbeatDao;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import dev.ticklake.orchestrator.demo.DemoServices;
import dev.ticklake.orchestrator.health.KafkaHealthCheck;
import dev.ticklake.orchestrator.health.LakeRootHealthCheck;
import dev.ticklake.orchestrator.health.SchedulerHealthCheck;
import dev.ticklake.orchestrator.resources.BackfillsResource;
import dev.ticklake.orchestrator.resources.DagResource;
import dev.ticklake.orchestrator.resources.DagsResource;
import dev.ticklake.orchestrator.resources.DataQualityResource;
import dev.ticklake.orchestrator.resources.LineageResource;
import dev.ticklake.orchestrator.resources.OpenApiResource;
import dev.ticklake.orchestrator.resources.VersionResource;
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
 * curl localhost:8081/healthcheck         # lake-root, database, scheduler, kafka
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
    bootstrap.addCommand(new DagsCommand());
    bootstrap.addCommand(new RunTaskCommand(DEFAULT_CONFIG));
    bootstrap.addCommand(new BackfillCommand());
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
    scheduler.setEvents(new SchedulerMetrics(environment.metrics(), new TaskInstanceDao(jdbi)));
    Lineage lineage = buildLineage(configuration, jdbi, environment);
    environment.lifecycle().manage(lineage); // registered first: stopped after the scheduler
    scheduler.setTaskLifecycleListener(lineage.listener());
    boolean schedulerRuns = configuration.getScheduler().enabled || configuration.isDemoMode();
    if (schedulerRuns) {
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
      environment
          .jersey()
          .register(
              new DagResource(
                  scheduler,
                  new DagDao(jdbi),
                  new RunClearer(jdbi, Clock.systemUTC()),
                  environment.getObjectMapper()));
      environment.jersey().register(new OpenApiResource(environment.getObjectMapper()));
    }
    TickLakeConfiguration.AuthConfig auth = configuration.getAuth();
    adminCredentials =
        AdminCredentials.prepare(
            auth.adminUser,
            auth.adminPassword,
            auth.apiTokens,
            Path.of(auth.passwordFile),
            new AdminCredentialDao(jdbi),
            Clock.systemUTC());
    environment.jersey().register(new AuthFilter(adminCredentials.authenticator()));
    environment
        .healthChecks()
        .register(
            SchedulerHealthCheck.NAME,
            new SchedulerHealthCheck(
                schedulerRuns ? Optional.of(scheduler.schedulerId()) : Optional.empty(),
                new SchedulerHeartbeatDao(jdbi),
                duration(
                    "scheduler.heartbeatTimeout", configuration.getScheduler().heartbeatTimeout),
                Clock.systemUTC()));
    environment
        .healthChecks()
        .register(
            KafkaHealthCheck.NAME,
            new KafkaHealthCheck(
                bootstrapServers,
                duration("kafka.healthCheckTimeout", configuration.getKafka().healthCheckTimeout)));
    environment
        .jersey()
        .register(new BackfillsResource(backfills(configuration, jdbi), new BackfillDao(jdbi)));
    environment
        .jersey()
        .register(
            new LineageResource(
                lineage.dao(), configuration.getLakeRoot(), lineage.settings().namespace()));
    environment
        .jersey()
        .register(new DataQualityResource(new DataQualityReader(configuration.getLakeRoot())));
    environment
        .healthChecks()
        .register(LakeRootHealthCheck.NAME, new LakeRootHealthCheck(configuration.getLakeRoot()));
    environment.jersey().register(new VersionResource(NAME, VersionResource.buildVersion()));
    DemoServices demoServices = demo;
    AdminCredentials credentials = adminCredentials;
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server -> printUrls(server, configuration, demoServices, credentials));
  }

  /** How mutating API calls authenticate in the last {@link #run}. */
  private AdminCredentials adminCredentials;

  public AdminCredentials adminCredentials() {
    return adminCredentials;
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
            configuration.runnerSettings(),
            Optional.of(Path.of(configuration.getDagsFolder())),
            configuration.isLoadShippedDags(),
            sc.workers,
            duration("scheduler.loopInterval", sc.loopInterval),
            duration("scheduler.dagRefreshInterval", sc.dagRefreshInterval),
            duration("scheduler.heartbeatTimeout", sc.heartbeatTimeout),
            duration("scheduler.interruptGrace", sc.interruptGrace),
            subprocessSettings(sc.subprocess));
    return new Scheduler(jdbi, Pipelines.standard(), settings, Clock.systemUTC());
  }

  static SubprocessSettings subprocessSettings(TickLakeConfiguration.SubprocessConfig c) {
    SubprocessSettings s = SubprocessSettings.of(c.workers, c.jvmOptions);
    return c.workDir == null || c.workDir.isBlank()
        ? s
        : new SubprocessSettings(
            s.workers(), s.javaBinary(), s.classPath(), s.jvmOptions(), Path.of(c.workDir));
  }

  private Backfills backfills(TickLakeConfiguration configuration, Jdbi jdbi) {
    TickLakeConfiguration.BackfillConfig bc = configuration.getBackfill();
    return new Backfills(
        scheduler::dags,
        new BackfillDao(jdbi),
        new DagRunDao(jdbi),
        new BackfillLimits(bc.maxRuns, bc.maxActiveRunsLimit),
        Clock.systemUTC(),
        scheduler::wakeUp);
  }

  static Lineage buildLineage(TickLakeConfiguration configuration, Jdbi jdbi, Environment env) {
    TickLakeConfiguration.LineageConfig lc = configuration.getLineage();
    LineageSettings settings =
        new LineageSettings(
            lc.namespace,
            lc.transport,
            lc.url,
            lc.endpoint,
            lc.apiKey,
            duration("lineage.timeout", lc.timeout),
            lc.file == null || lc.file.isBlank() ? null : Path.of(lc.file),
            lc.queueCapacity,
            duration("lineage.closeTimeout", lc.closeTimeout));
    return new Lineage(settings, jdbi, env.metrics(), Clock.systemUTC());
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
      DemoServices demo,
      AdminCredentials credentials) {
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
          sb.append("  OpenAPI:                 ").append(base).append("/api/v1/openapi.yaml\n");
        } else {
          sb.append("  admin (health, metrics): ").append(base).append("/healthcheck\n");
        }
      }
    }
    // Shown here once: a password generated by this start is printed nowhere else.
    sb.append("  credentials (POST/PATCH): ").append(credentials.describe()).append('\n');
    sb.append("  lake root:               ").append(configuration.getLakeRoot()).append('\n');
    if (demo != null) {
      sb.append("  Kafka (embedded):        ").append(demo.bootstrapServers()).append('\n');
      sb.append("  synthetic feed:          ")
          .append(configuration.getDemo().feedRate)
          .append(" events/s, seed ")
          .append(demo.seed())
          .append(
              configuration.getDemo().warmUpEvents > 0
                  ? " (starts once the pipelines are warmed up on a scratch lake)"
                  : "")
          .append('\n');
    }
    System.out.println(sb);
  }
}

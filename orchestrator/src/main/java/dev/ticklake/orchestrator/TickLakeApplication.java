package dev.ticklake.orchestrator;

import com.codahale.metrics.health.HealthCheckRegistry;
import dev.ticklake.orchestrator.auth.AccessPolicy;
import dev.ticklake.orchestrator.auth.AdminAuthFilter;
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
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.SubprocessSettings;
import dev.ticklake.orchestrator.core.exec.TryOutputs;
import dev.ticklake.orchestrator.core.lineage.Lineage;
import dev.ticklake.orchestrator.core.lineage.LineageSettings;
import dev.ticklake.orchestrator.core.metrics.SchedulerMetrics;
import dev.ticklake.orchestrator.core.quality.DataQualityReader;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.core.scheduler.SchedulerSettings;
import dev.ticklake.orchestrator.core.training.ModelRegistryReader;
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
import dev.ticklake.orchestrator.resources.ApiExceptionMappers;
import dev.ticklake.orchestrator.resources.BackfillsResource;
import dev.ticklake.orchestrator.resources.DagResource;
import dev.ticklake.orchestrator.resources.DagsResource;
import dev.ticklake.orchestrator.resources.DataQualityResource;
import dev.ticklake.orchestrator.resources.GrafanaResource;
import dev.ticklake.orchestrator.resources.GridResource;
import dev.ticklake.orchestrator.resources.HealthResource;
import dev.ticklake.orchestrator.resources.JsonErrorHandler;
import dev.ticklake.orchestrator.resources.LineageResource;
import dev.ticklake.orchestrator.resources.MarketResource;
import dev.ticklake.orchestrator.resources.ModelsResource;
import dev.ticklake.orchestrator.resources.OpenApiResource;
import dev.ticklake.orchestrator.resources.PipelineRowsResource;
import dev.ticklake.orchestrator.resources.SessionResource;
import dev.ticklake.orchestrator.resources.VersionResource;
import dev.ticklake.orchestrator.resources.WebUi;
import dev.ticklake.orchestrator.serving.CommitHistory;
import dev.ticklake.orchestrator.serving.GrafanaLookups;
import dev.ticklake.orchestrator.serving.GrafanaMetrics;
import dev.ticklake.orchestrator.serving.GrafanaQueries;
import dev.ticklake.orchestrator.serving.KafkaLag;
import dev.ticklake.orchestrator.serving.LakeReader;
import dev.ticklake.orchestrator.serving.MarketData;
import dev.ticklake.orchestrator.serving.PipelineStats;
import dev.ticklake.transforms.delta.HadoopSettings;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
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
  /** How often the read layer's refresh-ahead looks for new table versions. */
  private static final Duration REFRESH_AHEAD_POLL = Duration.ofMillis(100);

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
    bootstrap.addCommand(DefaultConfigCommands.Service.server(this, DEFAULT_CONFIG));
    bootstrap.addCommand(new DefaultConfigCommands.Check<>(this, DEFAULT_CONFIG));
    bootstrap.addCommand(DefaultConfigCommands.Service.demo(this, DEFAULT_CONFIG));
  }

  @Override
  public void run(TickLakeConfiguration configuration, Environment environment) {
    // Before anything opens a table: the lake's file system settings (s3a endpoint, keys...).
    HadoopSettings.setProcessWide(configuration.getHadoop());
    // Migrated before anything is served. The scheduler, executors and API build their DAOs on
    // the Jdbi this returns.
    Jdbi jdbi = Database.open(environment, configuration.getDatabase());
    DemoServices demo = configuration.isDemoMode() ? startDemo(configuration, environment) : null;
    String bootstrapServers =
        demo == null ? configuration.getKafka().bootstrapServers : demo.bootstrapServers();
    Lineage lineage = wireScheduler(configuration, environment, jdbi, bootstrapServers);
    boolean schedulerRuns = configuration.getScheduler().enabled || configuration.isDemoMode();
    if (schedulerRuns) {
      environment.lifecycle().manage(scheduler);
    } else {
      // API only: DAGs read once at startup; triggered runs wait for a scheduler elsewhere.
      scheduler.refreshDags();
    }
    wireAuth(configuration, environment, jdbi);
    wireApi(configuration, environment, jdbi, lineage, bootstrapServers);
    wireHealthChecks(configuration, environment, jdbi, bootstrapServers, schedulerRuns);
    AdminCredentials credentials = adminCredentials;
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server -> {
              server.setErrorHandler(new JsonErrorHandler(environment.getObjectMapper()));
              printUrls(server, configuration, demo, credentials);
            });
  }

  /** Starts the demo's embedded broker now; the feed starts with the lifecycle. */
  private static DemoServices startDemo(
      TickLakeConfiguration configuration, Environment environment) {
    DemoServices demo = new DemoServices(configuration);
    demo.startBroker();
    environment.lifecycle().manage(demo); // started before the scheduler, stopped after it
    return demo;
  }

  /** Builds the scheduler with its metrics and lineage; returns the lineage (already managed). */
  private Lineage wireScheduler(
      TickLakeConfiguration configuration,
      Environment environment,
      Jdbi jdbi,
      String bootstrapServers) {
    scheduler = buildScheduler(configuration, jdbi, bootstrapServers);
    scheduler.setEvents(new SchedulerMetrics(environment.metrics(), new TaskInstanceDao(jdbi)));
    Lineage lineage = buildLineage(configuration, jdbi, environment);
    environment.lifecycle().manage(lineage); // registered first: stopped after the scheduler
    scheduler.setTaskLifecycleListener(lineage.listener());
    return lineage;
  }

  private void wireAuth(TickLakeConfiguration configuration, Environment environment, Jdbi jdbi) {
    TickLakeConfiguration.AuthConfig auth = configuration.getAuth();
    adminCredentials =
        AdminCredentials.prepare(
            auth.adminUser,
            auth.adminPassword,
            auth.apiTokens,
            Path.of(auth.passwordFile),
            new AdminCredentialDao(jdbi),
            Clock.systemUTC());
    AccessPolicy policy = new AccessPolicy(auth.protectReads);
    environment.jersey().register(new AuthFilter(adminCredentials.authenticator(), policy));
    environment
        .admin()
        .addFilter(
            "admin-auth",
            new AdminAuthFilter(
                adminCredentials.authenticator(), policy, environment.getObjectMapper()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
  }

  /** The resources under {@code /api/v1} and the mappers of their errors. */
  private void wireApi(
      TickLakeConfiguration configuration,
      Environment environment,
      Jdbi jdbi,
      Lineage lineage,
      String bootstrapServers) {
    JerseyEnvironment jersey = environment.jersey();
    ApiExceptionMappers.registerAll(jersey);
    jersey.register(
        new DagsResource(
            scheduler,
            new DagDao(jdbi),
            new DagRunDao(jdbi),
            new TaskInstanceDao(jdbi),
            new TaskLogDao(jdbi),
            new TryOutputs(subprocessSettings(configuration.getScheduler().subprocess).workDir()),
            environment.getObjectMapper()));
    jersey.register(
        new DagResource(
            scheduler,
            new DagDao(jdbi),
            new RunClearer(jdbi, Clock.systemUTC()),
            environment.getObjectMapper()));
    jersey.register(new OpenApiResource(environment.getObjectMapper()));
    jersey.register(new BackfillsResource(backfills(configuration, jdbi), new BackfillDao(jdbi)));
    jersey.register(
        new LineageResource(
            lineage.dao(), configuration.getLakeRoot(), lineage.settings().namespace()));
    jersey.register(new DataQualityResource(new DataQualityReader(configuration.getLakeRoot())));
    wireServing(configuration, environment, jdbi, bootstrapServers);
    jersey.register(new ModelsResource(new ModelRegistryReader(configuration.getLakeRoot())));
    jersey.register(new VersionResource(NAME, VersionResource.buildVersion()));
    jersey.register(
        new GridResource(
            scheduler, new DagRunDao(jdbi), new TaskInstanceDao(jdbi), Clock.systemUTC()));
    jersey.register(new SessionResource());
    jersey.register(
        new HealthResource(environment.healthChecks(), NAME, VersionResource.buildVersion()));
    WebUi.register(environment);
  }

  /** The read layer over the lake and the APIs on it: {@code /grafana}, {@code /api/v1/market}. */
  private void wireServing(
      TickLakeConfiguration configuration,
      Environment environment,
      Jdbi jdbi,
      String bootstrapServers) {
    ServingConfig sc = configuration.getServing();
    LakeReader lake = new LakeReader(configuration.getLakeRoot(), sc.cacheMaxSize.toBytes());
    if (sc.refreshAhead.toMilliseconds() > 0) {
      lake.startRefreshAhead(sc.refreshAhead.toJavaDuration(), REFRESH_AHEAD_POLL);
    }
    environment.lifecycle().manage(new AutoCloseableManager(lake));
    MarketData market = new MarketData(lake, sc.maxRange.toJavaDuration());
    PipelineStats pipeline = new PipelineStats(jdbi, sc.maxPipelineRows);
    GrafanaMetrics metrics = new GrafanaMetrics(lake);
    CommitHistory commits = new CommitHistory(lake, sc.maxCommits);
    KafkaLag lag =
        new KafkaLag(
            bootstrapServers,
            configuration.getKafka().topic,
            lake,
            configuration.getKafka().healthCheckTimeout.toJavaDuration());
    GrafanaQueries queries =
        new GrafanaQueries(
            market, metrics, pipeline, commits, lag, sc.maxTableRows, Clock.systemUTC());
    environment
        .jersey()
        .register(
            new GrafanaResource(
                metrics,
                queries,
                new GrafanaLookups(market, metrics, pipeline),
                environment.getObjectMapper(),
                sc.maxBodyBytes));
    environment.jersey().register(new MarketResource(market, Clock.systemUTC()));
    environment
        .jersey()
        .register(new PipelineRowsResource(market, pipeline, commits, Clock.systemUTC()));
    this.lakeReader = lake;
  }

  /** The read layer of the last {@link #run} (for the web UI and tests). */
  private LakeReader lakeReader;

  public LakeReader lakeReader() {
    return lakeReader;
  }

  private void wireHealthChecks(
      TickLakeConfiguration configuration,
      Environment environment,
      Jdbi jdbi,
      String bootstrapServers,
      boolean schedulerRuns) {
    HealthCheckRegistry checks = environment.healthChecks();
    checks.register(
        SchedulerHealthCheck.NAME,
        new SchedulerHealthCheck(
            schedulerRuns ? Optional.of(scheduler.schedulerId()) : Optional.empty(),
            new SchedulerHeartbeatDao(jdbi),
            configuration.getScheduler().heartbeatTimeout.toJavaDuration(),
            Clock.systemUTC()));
    checks.register(
        KafkaHealthCheck.NAME,
        new KafkaHealthCheck(
            bootstrapServers, configuration.getKafka().healthCheckTimeout.toJavaDuration()));
    checks.register(LakeRootHealthCheck.NAME, new LakeRootHealthCheck(configuration.getLakeRoot()));
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
            sc.loopInterval.toJavaDuration(),
            sc.dagRefreshInterval.toJavaDuration(),
            sc.heartbeatTimeout.toJavaDuration(),
            sc.interruptGrace.toJavaDuration(),
            subprocessSettings(sc.subprocess),
            sc.maxQueuedRuns,
            sc.workerNice);
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
            lc.timeout.toJavaDuration(),
            lc.file == null || lc.file.isBlank() ? null : Path.of(lc.file),
            lc.queueCapacity,
            lc.closeTimeout.toJavaDuration());
    return new Lineage(settings, jdbi, env.metrics(), Clock.systemUTC());
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
          sb.append("  web UI:                  ").append(base).append("/\n");
          sb.append("  API:                     ").append(base).append("/api/v1/version\n");
          sb.append("  DAGs:                    ").append(base).append("/api/v1/dags\n");
          sb.append("  medallion runs:          ")
              .append(base)
              .append("/api/v1/dags/medallion/runs\n");
          sb.append("  OpenAPI:                 ").append(base).append("/api/v1/openapi.yaml\n");
          sb.append("  Grafana JSON datasource: ").append(base).append("/grafana\n");
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
      if (!configuration.getDemo().feedOn()) {
        sb.append("  synthetic feed:          off (TICKLAKE_DEMO_FEED=off)\n");
      } else {
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
    }
    System.out.println(sb);
  }
}

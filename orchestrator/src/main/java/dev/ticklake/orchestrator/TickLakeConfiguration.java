package dev.ticklake.orchestrator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.ticklake.orchestrator.core.exec.RunnerSettings;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of the TickLake service: Dropwizard's {@code server}, {@code logging} and {@code
 * metrics} sections plus TickLake's own settings.
 *
 * <p>Defaults: {@code lakeRoot} is {@code ./lake} (relative to the working directory); {@code
 * database} is an H2 file database {@value #DEFAULT_DATABASE_URL}; {@code dagsFolder} is {@code
 * ./dags} and the DAGs shipped in the jar are loaded too ({@code loadShippedDags: true}).
 */
public class TickLakeConfiguration extends Configuration {

  /** Where every table lives; any Hadoop-supported URI ({@code file:}, {@code hdfs:}, ...). */
  @NotEmpty private String lakeRoot = "./lake";

  /** Hadoop settings of the lake's file system ({@code fs.s3a.*}, {@code dfs.*}), for every use. */
  @NotNull private Map<String, String> hadoop = new LinkedHashMap<>();

  public static final String DEFAULT_DATABASE_URL =
      "jdbc:h2:file:./data/ticklake;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";

  /** The orchestrator's database (runs, task instances, events); migrated at startup. */
  @Valid @NotNull private DataSourceFactory database = defaultDatabase();

  /** Folder of DAG YAML files; a missing folder means "no extra DAGs". */
  @NotEmpty private String dagsFolder = "./dags";

  /** Whether the DAGs shipped in the jar (classpath {@code dags/}) are loaded too. */
  private boolean loadShippedDags = true;

  static DataSourceFactory defaultDatabase() {
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.h2.Driver");
    factory.setUrl(DEFAULT_DATABASE_URL);
    factory.setUser("sa");
    factory.setPassword("");
    return factory;
  }

  @JsonProperty("database")
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty("database")
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public String getDagsFolder() {
    return dagsFolder;
  }

  @JsonProperty
  public void setDagsFolder(String dagsFolder) {
    this.dagsFolder = dagsFolder;
  }

  @JsonProperty
  public boolean isLoadShippedDags() {
    return loadShippedDags;
  }

  @JsonProperty
  public void setLoadShippedDags(boolean loadShippedDags) {
    this.loadShippedDags = loadShippedDags;
  }

  @JsonProperty
  public String getLakeRoot() {
    return lakeRoot;
  }

  @JsonProperty
  public void setLakeRoot(String lakeRoot) {
    this.lakeRoot = lakeRoot;
  }

  @JsonProperty
  public Map<String, String> getHadoop() {
    return hadoop;
  }

  @JsonProperty
  public void setHadoop(Map<String, String> hadoop) {
    this.hadoop = hadoop == null ? new LinkedHashMap<>() : new LinkedHashMap<>(hadoop);
  }

  /** Beam runner of the pipelines: {@code direct}, {@code flink-local} or {@code flink-remote}. */
  @NotEmpty private String runner = "direct";

  /** {@code host:port} of the Flink JobManager for {@code runner: flink-remote}. */
  private String flinkMaster = "";

  /** The pipelines' job jar staged with each {@code flink-remote} job (Beam's filesToStage). */
  private String flinkJobJar = RunnerSettings.DEFAULT_FLINK_JOB_JAR;

  /** {@code --parallelism} of {@code flink-remote} jobs; 0: the cluster's default. */
  @Min(0)
  private int flinkParallelism = 0;

  /** DirectRunner worker threads ({@code --targetParallelism}); 0: Beam's default. */
  @Min(0)
  private int directParallelism = 0;

  /** Kafka the pipelines read (and the demo feed writes). */
  @Valid @NotNull private KafkaConfig kafka = new KafkaConfig();

  /** The scheduler's settings. */
  @Valid @NotNull private SchedulerConfig scheduler = new SchedulerConfig();

  /** Settings of the {@code demo} command only. */
  @Valid @NotNull private DemoConfig demo = new DemoConfig();

  /** Authentication of mutating REST API calls. */
  @Valid @NotNull private AuthConfig auth = new AuthConfig();

  /** Lineage records and OpenLineage events (docs/lineage.md). */
  @Valid @NotNull private LineageConfig lineage = new LineageConfig();

  /** Set by the {@code demo} command, not by the file. */
  private boolean demoMode;

  @JsonProperty
  public String getRunner() {
    return runner;
  }

  @JsonProperty
  public void setRunner(String runner) {
    this.runner = runner;
  }

  @JsonProperty
  public String getFlinkMaster() {
    return flinkMaster;
  }

  @JsonProperty
  public void setFlinkMaster(String flinkMaster) {
    this.flinkMaster = flinkMaster;
  }

  @JsonProperty
  public String getFlinkJobJar() {
    return flinkJobJar;
  }

  @JsonProperty
  public void setFlinkJobJar(String flinkJobJar) {
    this.flinkJobJar = flinkJobJar;
  }

  @JsonProperty
  public int getFlinkParallelism() {
    return flinkParallelism;
  }

  @JsonProperty
  public void setFlinkParallelism(int flinkParallelism) {
    this.flinkParallelism = flinkParallelism;
  }

  @JsonProperty
  public int getDirectParallelism() {
    return directParallelism;
  }

  @JsonProperty
  public void setDirectParallelism(int directParallelism) {
    this.directParallelism = directParallelism;
  }

  /** The runner settings every executor passes to the pipelines. */
  public RunnerSettings runnerSettings() {
    return new RunnerSettings(runner, flinkMaster, directParallelism)
        .withFlinkJob(flinkJobJar, flinkParallelism);
  }

  @JsonProperty
  public KafkaConfig getKafka() {
    return kafka;
  }

  @JsonProperty
  public void setKafka(KafkaConfig kafka) {
    this.kafka = kafka;
  }

  @JsonProperty
  public SchedulerConfig getScheduler() {
    return scheduler;
  }

  @JsonProperty
  public void setScheduler(SchedulerConfig scheduler) {
    this.scheduler = scheduler;
  }

  @JsonProperty
  public DemoConfig getDemo() {
    return demo;
  }

  @JsonProperty
  public void setDemo(DemoConfig demo) {
    this.demo = demo;
  }

  @JsonProperty
  public AuthConfig getAuth() {
    return auth;
  }

  @JsonProperty
  public void setAuth(AuthConfig auth) {
    this.auth = auth;
  }

  @JsonProperty
  public LineageConfig getLineage() {
    return lineage;
  }

  @JsonProperty
  public void setLineage(LineageConfig lineage) {
    this.lineage = lineage;
  }

  public boolean isDemoMode() {
    return demoMode;
  }

  public void setDemoMode(boolean demoMode) {
    this.demoMode = demoMode;
  }

  /** {@code kafka:} section. */
  public static class KafkaConfig {
    @NotEmpty @JsonProperty public String bootstrapServers = "127.0.0.1:9092";
    @NotEmpty @JsonProperty public String topic = "market.ticks";
    @JsonProperty public int partitions = 2;

    /** How long the {@code kafka} health check waits for the cluster to answer. */
    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration healthCheckTimeout = Duration.seconds(3);
  }

  /** {@code scheduler:} section. */
  public static class SchedulerConfig {
    /** Whether {@code server} runs the scheduler (an API-only replica would set false). */
    @JsonProperty public boolean enabled = true;

    /** In-process executor: tries that run at once. */
    @JsonProperty public int workers = 4;

    /** In-process tries' Linux nice value (1..19; 0: the API's priority); see WorkerPriority. */
    @JsonProperty public int workerNice = 10;

    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration loopInterval = Duration.milliseconds(100);

    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration dagRefreshInterval = Duration.seconds(10);

    /** A scheduler silent for longer is dead; its running tasks are recovered at startup. */
    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration heartbeatTimeout = Duration.seconds(30);

    /**
     * After execution_timeout interrupts a try, how long to wait before abandoning its thread (in
     * process) or killing its child JVM with SIGKILL (subprocess).
     */
    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration interruptGrace = Duration.seconds(10);

    /**
     * How many manual runs of a DAG may wait in {@code queued} when its file sets no {@code
     * max_queued_runs}; a trigger beyond is refused with 409.
     */
    @Min(1)
    @JsonProperty
    public int maxQueuedRuns = 16;

    /** The subprocess executor (tasks with {@code executor: subprocess}). */
    @Valid @NotNull @JsonProperty public SubprocessConfig subprocess = new SubprocessConfig();
  }

  /** {@code scheduler.subprocess:} section. */
  public static class SubprocessConfig {
    /** Tries that run at once in child JVMs. */
    @JsonProperty public int workers = 2;

    /** Extra options of each child JVM, separated by spaces (e.g. {@code -Xmx1g}). */
    @JsonProperty public String jvmOptions = "";

    /** Folder of the per-try temporary files; empty: the system temp folder. */
    @JsonProperty public String workDir = "";
  }

  @Valid @NotNull private ServingConfig serving = new ServingConfig();

  @JsonProperty
  public ServingConfig getServing() {
    return serving;
  }

  @JsonProperty
  public void setServing(ServingConfig serving) {
    this.serving = serving;
  }

  /** {@code backfill:} section: limits on backfill requests. */
  public static class BackfillConfig {
    /** Most logical times (runs) one backfill may cover. */
    @JsonProperty public int maxRuns = 10_000;

    /** Highest max_active_runs a backfill may ask for. */
    @JsonProperty public int maxActiveRunsLimit = 16;
  }

  @Valid @NotNull private BackfillConfig backfill = new BackfillConfig();

  @JsonProperty
  public BackfillConfig getBackfill() {
    return backfill;
  }

  @JsonProperty
  public void setBackfill(BackfillConfig backfill) {
    this.backfill = backfill;
  }

  /**
   * {@code auth:} section. Every mutating call under {@code /api/} needs basic authentication as
   * {@code adminUser} or a bearer token from {@code apiTokens}. With neither a password nor a
   * token, a password is generated at first start (hash in the database, password in {@code
   * passwordFile}).
   */
  public static class AuthConfig {
    @NotEmpty @JsonProperty public String adminUser = "admin";

    /** Empty: generated at first start unless {@code apiTokens} is set. */
    @NotNull @JsonProperty public String adminPassword = "";

    /** Comma-separated bearer tokens. */
    @NotNull @JsonProperty public String apiTokens = "";

    /** Where a generated password is written (owner-only permissions). */
    @NotEmpty @JsonProperty public String passwordFile = "./data/admin-password.txt";

    /**
     * Whether reads that show paths of the machine (task logs, lineage) and the admin port's pages
     * (metrics, threads; not ping and healthcheck) need credentials too. Admin tasks always do.
     */
    @JsonProperty public boolean protectReads = false;
  }

  /** {@code demo:} section. */
  public static class DemoConfig {
    /** Port of the embedded Kafka broker the demo starts. */
    @JsonProperty public int kafkaPort = 9092;

    @NotEmpty @JsonProperty public String kafkaDataDir = "./data/kafka";

    /**
     * {@code on}: the demo publishes synthetic events; {@code off}: only the broker, the service
     * and the schedule run, and events come from {@code ticklake feed} or any producer.
     */
    @NotNull
    @jakarta.validation.constraints.Pattern(regexp = "on|off", message = "must be on or off")
    public String feed = "on";

    /** YAML reads an unquoted {@code on}/{@code off} as a boolean: both spellings are accepted. */
    @JsonProperty("feed")
    public void setFeed(String value) {
      feed =
          switch (value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on" -> "on";
            case "false", "off" -> "off";
            default -> value;
          };
    }

    /** Synthetic events per second. */
    @JsonProperty public double feedRate = 200;

    /** Seed of the synthetic feed; 0 picks a random one. */
    @JsonProperty public long feedSeed = 0;

    /**
     * Synthetic events the demo pushes through the medallion pipelines on a scratch lake and topic
     * before it starts the feed (JIT and class loading warmed up); 0 starts the feed at once.
     */
    @Min(0)
    @JsonProperty
    public long warmUpEvents = 10_000;

    public boolean feedOn() {
      return "on".equals(feed);
    }
  }

  /** {@code lineage:} section; see docs/lineage.md. */
  public static class LineageConfig {
    /** Job namespace of the OpenLineage events. */
    @NotEmpty @JsonProperty public String namespace = "ticklake";

    /** {@code none} (events off; records kept in the database), {@code http} or {@code file}. */
    @NotEmpty @JsonProperty public String transport = "none";

    /** http: base URL of a Marquez-compatible server, e.g. http://localhost:5000. */
    @JsonProperty public String url = "";

    /** http: path the events are POSTed to. */
    @JsonProperty public String endpoint = "/api/v1/lineage";

    /** http: optional API key, sent as a bearer token. */
    @JsonProperty public String apiKey = "";

    /** http: connect and response timeout of one send. */
    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration timeout = Duration.seconds(5);

    /** file: JSON-lines file the events are appended to. */
    @JsonProperty public String file = "./data/lineage/openlineage.jsonl";

    /** Events waiting to be sent; when full, new events are dropped (and counted). */
    @JsonProperty public int queueCapacity = 1000;

    /** At shutdown, how long queued events may still be sent. */
    @NotNull
    @JsonProperty
    @JsonDeserialize(using = ConfigDurationDeserializer.class)
    public Duration closeTimeout = Duration.seconds(5);
  }
}

package dev.ticklake.orchestrator.demo;

import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import io.dropwizard.lifecycle.Managed;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code demo} command runs besides the service: an embedded Kafka broker, the topic and a
 * synthetic feed on a background thread. Started before the scheduler (registration order), stopped
 * after it.
 *
 * <p>Unless {@code demo.warmUpEvents} is 0, the feed thread first warms the medallion DAG's
 * pipelines on a scratch lake and topic ({@link PipelineWarmUp}) and only then starts the feed: the
 * feed stands for a market that is already running, and its first events should not wait for the
 * JVM to load and compile Beam, Kafka, Delta and Parquet. Meanwhile the service is up and the
 * scheduler's runs find nothing new.
 */
public final class DemoServices implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(DemoServices.class);

  /** The DAG whose pipelines the demo warms up. */
  static final String WARMED_DAG = "medallion";

  /** Passes over the warm-up events: the first reads snapshots, the next ones are incremental. */
  static final int WARM_UP_ROUNDS = 2;

  private final TickLakeConfiguration.DemoConfig demo;
  private final TickLakeConfiguration.KafkaConfig kafkaConfig;
  private final TickLakeConfiguration configuration;
  private volatile PipelineWarmUp.Report warmUp;
  private EmbeddedKafka kafka;
  private FeedPublisher publisher;
  private Thread feedThread;
  private volatile long seed;

  public DemoServices(TickLakeConfiguration configuration) {
    this.demo = configuration.getDemo();
    this.kafkaConfig = configuration.getKafka();
    this.configuration = configuration;
  }

  /** Starts the broker now (the scheduler needs its address before the service starts). */
  public String startBroker() {
    kafka =
        EmbeddedKafka.builder()
            .brokerPort(demo.kafkaPort)
            .dataDirectory(Path.of(demo.kafkaDataDir))
            .start();
    return kafka.bootstrapServers();
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public long seed() {
    return seed;
  }

  /** Whether {@link #start()} started the feed (and its warm-up): not with {@code feed: off}. */
  boolean feedStarted() {
    return feedThread != null;
  }

  /** The warm-up's report once it has run (empty before, and when it is off). */
  Optional<PipelineWarmUp.Report> warmUpReport() {
    return Optional.ofNullable(warmUp);
  }

  @Override
  public void start() {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers())
            .withTopic(kafkaConfig.topic)
            .withPartitions(kafkaConfig.partitions);
    LOG.info("demo: {}", Topics.ensureTopic(settings).message());
    if (!demo.feedOn()) {
      LOG.info(
          "demo: the synthetic feed is off (demo.feed / TICKLAKE_DEMO_FEED=off); publish events"
              + " to {} on {} with `./ticklake feed ...` or any producer",
          kafkaConfig.topic,
          kafka.bootstrapServers());
      return;
    }
    seed = demo.feedSeed != 0 ? demo.feedSeed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    publisher = new FeedPublisher(settings, quiet, System.err);
    feedThread =
        new Thread(
            () -> {
              try {
                try {
                  warmUp();
                } catch (RuntimeException e) {
                  LOG.warn("demo: pipeline warm-up failed; starting the feed anyway", e);
                }
                // Built now: its first event's timestamp is "now" when the feed really starts.
                SyntheticFeed feed = SyntheticFeed.builder().rate(demo.feedRate).seed(seed).build();
                FeedSummary summary = publisher.run(feed, 0, null);
                LOG.info("demo feed stopped: {}", summary);
              } catch (RuntimeException e) {
                LOG.error("demo feed failed", e);
              }
            },
            "ticklake-demo-feed");
    feedThread.setDaemon(true);
    feedThread.start();
  }

  /** Warms the medallion pipelines unless {@code demo.warmUpEvents} is 0. */
  private void warmUp() {
    if (demo.warmUpEvents <= 0) {
      return;
    }
    Pipelines pipelines = Pipelines.standard();
    Optional<DagDefinition> dag =
        new DagLoader(pipelines)
                .load(
                    Optional.of(Path.of(configuration.getDagsFolder())),
                    configuration.isLoadShippedDags())
                .dags()
                .stream()
                .filter(d -> d.dagId().equals(WARMED_DAG))
                .findFirst();
    if (dag.isEmpty()) {
      LOG.info("demo: no DAG '{}' to warm up; starting the feed", WARMED_DAG);
      return;
    }
    LOG.info(
        "demo: warming up the {} pipelines on a scratch lake and topic ({} events); the feed"
            + " starts after it",
        WARMED_DAG,
        demo.warmUpEvents);
    PipelineWarmUp.Report report =
        new PipelineWarmUp(
                pipelines,
                configuration.runnerSettings(),
                kafka.bootstrapServers(),
                kafkaConfig.partitions,
                Path.of(System.getProperty("java.io.tmpdir"), "ticklake-warmup"))
            .run(dag.get(), demo.warmUpEvents, (int) Math.min(WARM_UP_ROUNDS, demo.warmUpEvents));
    warmUp = report;
    LOG.info("demo: {}; starting the feed", report);
  }

  @Override
  public void stop() throws InterruptedException {
    if (publisher != null) {
      publisher.stop();
    }
    if (feedThread != null) {
      feedThread.join(5_000);
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}

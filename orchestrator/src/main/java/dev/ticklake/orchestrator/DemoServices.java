package dev.ticklake.orchestrator;

import dev.ticklake.pipelines.feeds.FeedPublisher;
import dev.ticklake.pipelines.feeds.FeedSummary;
import dev.ticklake.pipelines.feeds.SyntheticFeed;
import dev.ticklake.pipelines.kafka.EmbeddedKafka;
import dev.ticklake.pipelines.kafka.KafkaSettings;
import dev.ticklake.pipelines.kafka.Topics;
import io.dropwizard.lifecycle.Managed;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code demo} command runs besides the service: an embedded Kafka broker, the topic and a
 * synthetic feed on a background thread. Started before the scheduler (registration order), stopped
 * after it.
 */
final class DemoServices implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(DemoServices.class);

  private final TickLakeConfiguration.DemoConfig demo;
  private final TickLakeConfiguration.KafkaConfig kafkaConfig;
  private EmbeddedKafka kafka;
  private FeedPublisher publisher;
  private Thread feedThread;
  private volatile long seed;

  DemoServices(TickLakeConfiguration configuration) {
    this.demo = configuration.getDemo();
    this.kafkaConfig = configuration.getKafka();
  }

  /** Starts the broker now (the scheduler needs its address before the service starts). */
  String startBroker() {
    kafka =
        EmbeddedKafka.builder()
            .brokerPort(demo.kafkaPort)
            .dataDirectory(Path.of(demo.kafkaDataDir))
            .start();
    return kafka.bootstrapServers();
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  long seed() {
    return seed;
  }

  @Override
  public void start() {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers())
            .withTopic(kafkaConfig.topic)
            .withPartitions(kafkaConfig.partitions);
    LOG.info("demo: {}", Topics.ensureTopic(settings).message());
    seed = demo.feedSeed != 0 ? demo.feedSeed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    SyntheticFeed feed = SyntheticFeed.builder().rate(demo.feedRate).seed(seed).build();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    publisher = new FeedPublisher(settings, quiet, System.err);
    feedThread =
        new Thread(
            () -> {
              try {
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

package dev.ticklake.orchestrator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's broker, warm-up and feed, without the service around them. */
class DemoServicesIT {

  @TempDir Path tmp;

  private TickLakeConfiguration config(long warmUpEvents) {
    TickLakeConfiguration c = new TickLakeConfiguration();
    c.setLakeRoot(tmp.resolve("lake").toString());
    c.setDagsFolder(tmp.resolve("dags").toString());
    c.getDemo().kafkaPort = 0;
    c.getDemo().kafkaDataDir = tmp.resolve("kafka").toString();
    c.getDemo().feedRate = 500;
    c.getDemo().feedSeed = 42;
    c.getDemo().warmUpEvents = warmUpEvents;
    return c;
  }

  @Test
  void theFeedStartsOnlyAfterTheWarmUpAndTheRealLakeStaysUntouched() throws Exception {
    DemoServices demo = new DemoServices(config(400));
    String bootstrap = demo.startBroker();
    try {
      demo.start();
      AtomicLong sentDuringWarmUp = new AtomicLong();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
        PipelineWarmUp.Report report =
            Await.until(
                    Duration.ofMinutes(3),
                    "the warm-up report",
                    () -> {
                      long seen = events(consumer);
                      Optional<PipelineWarmUp.Report> r = demo.warmUpReport();
                      // Still no report after the read: the read came before the feed could start.
                      if (r.isEmpty()) {
                        sentDuringWarmUp.set(Math.max(sentDuringWarmUp.get(), seen));
                      }
                      return r;
                    },
                    Optional::isPresent)
                .orElseThrow();
        assertThat(report.completed()).as("%s", report).isTrue();
        assertThat(report.steps()).hasSize(6);
        assertThat(sentDuringWarmUp.get()).as("feed events before the warm-up ended").isZero();
        // The feed thread starts publishing right after the warm-up.
        Await.until(
            Duration.ofSeconds(60), "events on the topic", () -> events(consumer), n -> n > 0);
      }
      assertThat(tmp.resolve("lake"))
          .as("the warm-up wrote only to its scratch lake")
          .doesNotExist();
    } finally {
      demo.stop();
    }
  }

  @Test
  void withoutAWarmUpTheFeedStartsAtOnce() throws Exception {
    DemoServices demo = new DemoServices(config(0));
    String bootstrap = demo.startBroker();
    try {
      demo.start();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
        Await.until(
            Duration.ofSeconds(60), "events on the topic", () -> events(consumer), n -> n > 0);
      }
      assertThat(demo.warmUpReport()).isEmpty();
    } finally {
      demo.stop();
    }
  }

  @Test
  void withTheFeedOffOnlyTheBrokerAndAnEmptyTopicAreThere() throws Exception {
    TickLakeConfiguration c = config(400);
    c.getDemo().feed = "off";
    DemoServices demo = new DemoServices(c);
    String bootstrap = demo.startBroker();
    try {
      demo.start();
      assertThat(demo.feedStarted()).isFalse();
      assertThat(demo.warmUpReport()).isEmpty();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
        assertThat(events(consumer)).as("the topic exists and is empty").isZero();
      }
    } finally {
      demo.stop();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers", bootstrap,
            "key.deserializer", ByteArrayDeserializer.class.getName(),
            "value.deserializer", ByteArrayDeserializer.class.getName()));
  }

  /** Events on the demo's topic (sum of its partitions' end offsets). */
  private static long events(KafkaConsumer<byte[], byte[]> consumer) {
    List<TopicPartition> partitions =
        consumer.partitionsFor("market.ticks", Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}

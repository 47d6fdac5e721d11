package dev.ticklake.orchestrator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TickLakeConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's broker, warm-up and feed, without the service around them. */
class DemoServicesTest {

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
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      AtomicLong sentDuringWarmUp = new AtomicLong();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
        while (demo.warmUpReport().isEmpty() && System.nanoTime() < deadline) {
          long seen = events(consumer);
          // Still no report after the read: the read came before the feed could start.
          if (demo.warmUpReport().isEmpty()) {
            sentDuringWarmUp.set(Math.max(sentDuringWarmUp.get(), seen));
          }
          pollInterval();
        }
        PipelineWarmUp.Report report = demo.warmUpReport().orElseThrow();
        assertThat(report.completed()).as("%s", report).isTrue();
        assertThat(report.steps()).hasSize(6);
        assertThat(sentDuringWarmUp.get()).as("feed events before the warm-up ended").isZero();
        while (events(consumer) == 0 && System.nanoTime() < deadline) {
          pollInterval(); // the feed thread starts publishing right after the warm-up
        }
        assertThat(events(consumer)).isPositive();
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
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
        while (events(consumer) == 0 && System.nanoTime() < deadline) {
          pollInterval();
        }
        assertThat(events(consumer)).isPositive();
      }
      assertThat(demo.warmUpReport()).isEmpty();
    } finally {
      demo.stop();
    }
  }

  /** Between two polls of a condition (each poll has the deadline of its loop). */
  private static void pollInterval() throws InterruptedException {
    Thread.sleep(50);
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

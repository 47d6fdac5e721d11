package dev.ticklake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the demo's topic from the beginning on a daemon thread, until {@link #stop}, and hands
 * every event with its production time (the record's CreateTime) to a {@link FreshnessCalculator}.
 * Records that are not events Silver would keep are not measured.
 */
final class DemoTopicConsumer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "market.ticks";

  private final String bootstrap;
  private final FreshnessCalculator calc;
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final AtomicLong firstProduced = new AtomicLong(-1);
  private final Thread thread;

  DemoTopicConsumer(String bootstrap, FreshnessCalculator calc) {
    this.bootstrap = bootstrap;
    this.calc = calc;
    this.thread = new Thread(this::consume, "freshness-consumer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Production time (epoch ms) of the first event read, or -1 before any. */
  long firstProduced() {
    return firstProduced.get();
  }

  /** Asks the thread to stop; {@link #join} waits for it. */
  void stop() {
    consuming.set(false);
  }

  void join() throws InterruptedException {
    thread.join(10_000);
  }

  private void consume() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
      List<TopicPartition> partitions = awaitPartitions(consumer);
      if (partitions == null) {
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (consuming.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          record(r);
        }
      }
    } catch (RuntimeException e) {
      if (consuming.get()) {
        throw e;
      }
    }
  }

  /** The topic's partitions once the demo has created it; null if interrupted. */
  private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> consumer) {
    List<TopicPartition> partitions = new ArrayList<>();
    while (consuming.get() && partitions.isEmpty()) {
      try {
        for (PartitionInfo info : consumer.partitionsFor(TOPIC, Duration.ofSeconds(2))) {
          partitions.add(new TopicPartition(TOPIC, info.partition()));
        }
      } catch (TimeoutException e) {
        // the demo's broker or topic is not there yet
      }
      if (partitions.isEmpty()) {
        try {
          Thread.sleep(200); // waiting for the demo's topic
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
    return partitions;
  }

  private void record(ConsumerRecord<byte[], byte[]> r) {
    try {
      JsonNode e = JSON.readTree(new String(r.value(), StandardCharsets.UTF_8));
      calc.event(e.get("symbol").asText(), Instant.parse(e.get("ts").asText()), r.timestamp());
      firstProduced.compareAndSet(-1, r.timestamp());
    } catch (IOException | RuntimeException bad) {
      // not an event Silver would keep: not measured
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return p;
  }
}

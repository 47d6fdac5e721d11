package dev.ticklake.feeds.kafka;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where TickLake's market events live in Kafka, and how every TickLake client talks to it.
 *
 * <p><b>Immutable</b> and {@link Serializable} (it can travel inside Beam options and DoFns).
 * Defaults: topic {@value #DEFAULT_TOPIC}, {@value #DEFAULT_PARTITIONS} partitions, no extra client
 * properties.
 *
 * <p><b>Client properties</b> (e.g. {@code security.protocol}, {@code sasl.mechanism}, {@code
 * sasl.jaas.config}, {@code ssl.*}) are passed through unchanged to every producer, consumer and
 * admin client TickLake creates, after TickLake's defaults, so they can also override a default.
 * {@code bootstrap.servers} always comes from {@link #bootstrapServers()}.
 *
 * <p><b>Producer defaults</b> ({@link #producerProperties()}): {@code acks=all} and idempotence on
 * (no duplicates from retries, order kept per partition), {@code linger.ms=5} and 256 KiB batches
 * (a few ms of latency buys large batches), lz4 compression (cheap on CPU, ~3x smaller JSON).
 *
 * <p><b>Consumer defaults</b> ({@link #consumerProperties()}), tuned for reading large offset
 * ranges in micro-batches rather than for per-record latency:
 *
 * <ul>
 *   <li>{@code fetch.min.bytes=262144} with {@code fetch.max.wait.ms=100}: the broker answers when
 *       256 KiB are ready, so a backlog arrives in few large responses, while the tail of a range
 *       costs at most 100 ms of waiting.
 *   <li>{@code max.partition.fetch.bytes=8388608} (default 1 MiB): one response may carry 8 MiB of
 *       one partition, ~50,000 ticks.
 *   <li>{@code fetch.max.bytes=67108864}: the cap over all partitions of one response.
 *   <li>{@code max.poll.records=10000} (default 500): fewer, larger {@code poll()} results.
 *   <li>{@code receive.buffer.bytes=1048576} (default 64 KiB): a TCP window large enough for the
 *       responses above.
 *   <li>{@code enable.auto.commit=false}: positions are committed to Delta with the data (the
 *       exactly-once contract), never to Kafka.
 * </ul>
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param topic the market-event topic
 * @param partitions partitions of the topic when TickLake creates it
 * @param clientProperties passed to every client; copied, sorted, unmodifiable
 */
public record KafkaSettings(
    String bootstrapServers, String topic, int partitions, Map<String, String> clientProperties)
    implements Serializable {

  public static final String DEFAULT_TOPIC = "market.ticks";
  public static final int DEFAULT_PARTITIONS = 2;
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

  /** Validates and copies. */
  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must not be empty");
    }
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be empty");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    // TreeMap: sorted for stable toString; wrapped so the record stays Serializable.
    clientProperties =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(Objects.requireNonNull(clientProperties, "clientProperties")));
  }

  /** Settings for {@code bootstrapServers} with the default topic and partitions. */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, DEFAULT_TOPIC, DEFAULT_PARTITIONS, Map.of());
  }

  public KafkaSettings withTopic(String newTopic) {
    return new KafkaSettings(bootstrapServers, newTopic, partitions, clientProperties);
  }

  public KafkaSettings withPartitions(int newPartitions) {
    return new KafkaSettings(bootstrapServers, topic, newPartitions, clientProperties);
  }

  /** Adds (or replaces) one pass-through client property. */
  public KafkaSettings withClientProperty(String key, String value) {
    Map<String, String> copy = new HashMap<>(clientProperties);
    copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new KafkaSettings(bootstrapServers, topic, partitions, copy);
  }

  /** Adds (or replaces) pass-through client properties. */
  public KafkaSettings withClientProperties(Map<String, String> more) {
    Map<String, String> copy = new HashMap<>(clientProperties);
    copy.putAll(more);
    return new KafkaSettings(bootstrapServers, topic, partitions, copy);
  }

  /** Properties for a {@code KafkaProducer<byte[], byte[]>}; a new mutable map on every call. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
    return withCommon(props);
  }

  /** Properties for a {@code KafkaConsumer<byte[], byte[]>}; a new mutable map on every call. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(256 * 1024));
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, String.valueOf(1024 * 1024));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return withCommon(props);
  }

  /** Properties for an {@code Admin} client; a new mutable map on every call. */
  public Map<String, Object> adminProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    return withCommon(props);
  }

  private Map<String, Object> withCommon(Map<String, Object> props) {
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** Like the record's, but hides values of properties that look like secrets. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    clientProperties.forEach(
        (k, v) -> shown.put(k, k.contains("jaas") || k.contains("password") ? "***" : v));
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", topic="
        + topic
        + ", partitions="
        + partitions
        + ", clientProperties="
        + shown
        + "]";
  }
}

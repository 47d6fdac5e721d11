package dev.ticklake.feeds.kafka;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates and inspects the market-event topic of a {@link KafkaSettings}.
 *
 * <p>Holds one {@link Admin} client (with the settings' client properties) until {@link #close()}.
 * Every method is idempotent and blocks until the broker has answered or the admin API timeout (15
 * s by default) has passed. Safe to use from several threads (the admin client is).
 *
 * <pre>{@code
 * try (Topics topics = Topics.connect(settings)) {
 *   System.out.println(topics.ensureTopic());       // "created topic market.ticks with 2 partitions"
 *   Map<TopicPartition, Long> ends = topics.endOffsets();
 * }
 * }</pre>
 */
public final class Topics implements AutoCloseable {

  private final KafkaSettings settings;
  private final Admin admin;

  private Topics(KafkaSettings settings, Admin admin) {
    this.settings = settings;
    this.admin = admin;
  }

  /** Opens an admin client for {@code settings}; does not contact the broker yet. */
  public static Topics connect(KafkaSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return new Topics(settings, Admin.create(settings.adminProperties()));
  }

  /** One-shot {@link #ensureTopic()} with its own admin client. */
  public static TopicStatus ensureTopic(KafkaSettings settings) {
    try (Topics topics = connect(settings)) {
      return topics.ensureTopic();
    }
  }

  /**
   * Creates the topic with {@link KafkaSettings#partitions()} partitions if it does not exist, and
   * leaves an existing topic as it is (also when it has fewer partitions than configured: adding
   * partitions moves keys to other partitions, so it happens only through {@link
   * #ensurePartitions}).
   *
   * @return what was found or done; {@link TopicStatus#message()} says it in words
   * @throws KafkaUnavailableException if the broker does not answer
   */
  public TopicStatus ensureTopic() {
    String topic = settings.topic();
    try {
      // Replication factor: the broker's default (1 on the embedded broker).
      await(
          admin
              .createTopics(
                  List.of(
                      new NewTopic(topic, Optional.of(settings.partitions()), Optional.empty())))
              .all());
      return new TopicStatus(topic, settings.partitions(), settings.partitions(), true, 0);
    } catch (TopicExistsException e) {
      int existing = partitionsFor().size();
      return new TopicStatus(topic, existing, settings.partitions(), false, 0);
    }
  }

  /**
   * Grows the topic to {@code partitions} partitions if it has fewer; never shrinks (Kafka cannot).
   * Records already written stay where they are; new records of a key may go to a new partition.
   *
   * @return the resulting status, with {@link TopicStatus#partitionsAdded()} set
   * @throws UnknownTopicOrPartitionException if the topic does not exist
   */
  public TopicStatus ensurePartitions(int partitions) {
    String topic = settings.topic();
    int existing = partitionsFor().size();
    if (existing >= partitions) {
      return new TopicStatus(topic, existing, partitions, false, 0);
    }
    await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all());
    return new TopicStatus(topic, partitions, partitions, false, partitions - existing);
  }

  /** The topic's partitions, ordered by partition number. */
  public List<TopicPartition> partitionsFor() {
    String topic = settings.topic();
    Map<String, TopicDescription> described =
        await(admin.describeTopics(List.of(topic)).allTopicNames());
    return described.get(topic).partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .collect(Collectors.toList());
  }

  /** The next offset to be written in each partition (the high watermark), in partition order. */
  public Map<TopicPartition, Long> endOffsets() {
    return offsets(OffsetSpec.latest());
  }

  /** The first offset still on the broker in each partition (after retention), in order. */
  public Map<TopicPartition, Long> startOffsets() {
    return offsets(OffsetSpec.earliest());
  }

  private Map<TopicPartition, Long> offsets(OffsetSpec spec) {
    List<TopicPartition> partitions = partitionsFor();
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(p -> p, p -> spec));
    Map<TopicPartition, ListOffsetsResultInfo> result = await(admin.listOffsets(request).all());
    Map<TopicPartition, Long> ordered = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      ordered.put(partition, result.get(partition).offset());
    }
    return ordered;
  }

  /** The names of all non-internal topics. */
  public Set<String> listTopics() {
    return await(admin.listTopics().names());
  }

  @Override
  public void close() {
    admin.close();
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while talking to Kafka", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutException) {
        throw new KafkaUnavailableException(
            "Cannot reach Kafka at "
                + settings.bootstrapServers()
                + ": "
                + cause.getMessage()
                + "; start a broker (./ticklake demo starts one) or set the bootstrap servers",
            cause);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(String.valueOf(cause), cause);
    }
  }

  /**
   * The outcome of {@link #ensureTopic()} or {@link #ensurePartitions}.
   *
   * @param topic the topic
   * @param partitions how many partitions it has now
   * @param configuredPartitions how many the settings (or the caller) asked for
   * @param created whether this call created it
   * @param partitionsAdded how many partitions this call added
   */
  public record TopicStatus(
      String topic,
      int partitions,
      int configuredPartitions,
      boolean created,
      int partitionsAdded) {

    /** One line for the user, e.g. {@code created topic market.ticks with 2 partitions}. */
    public String message() {
      if (created) {
        return "created topic " + topic + " with " + partitions + " partitions";
      }
      if (partitionsAdded > 0) {
        return "added "
            + partitionsAdded
            + " partitions to topic "
            + topic
            + " (now "
            + partitions
            + ")";
      }
      String base = "topic " + topic + " exists with " + partitions + " partitions";
      if (partitions < configuredPartitions) {
        return base
            + " (fewer than the configured "
            + configuredPartitions
            + "; left as is: adding partitions moves symbols to other partitions)";
      }
      return base;
    }
  }

  /** The broker did not answer in time. The message says where and what to do. */
  public static final class KafkaUnavailableException extends RuntimeException {
    KafkaUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package dev.ticklake.pipelines.planning;

import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.kafka.KafkaOffsetRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one Bronze batch reads: for every partition of the topic, from the offset stored in
 * Bronze's Delta log ({@code SetTransaction("bronze:<topic>:<partition>")}, 0 when none, so a
 * partition added later starts at 0) to the end offset captured now, with at most {@code
 * maxRecordsPerBatch} records in all, shared fairly between partitions.
 */
public final class BronzeBatchPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(BronzeBatchPlanner.class);

  private BronzeBatchPlanner() {}

  /** The appId under which Bronze stores the next offset to read of a partition. */
  public static String appId(String topic, int partition) {
    return "bronze:" + topic + ":" + partition;
  }

  /** The batch's ranges, one per partition with new records; empty when there is nothing new. */
  public static List<KafkaOffsetRange> plan(
      DeltaTable bronze,
      String topic,
      Map<String, Object> consumerConfig,
      long maxRecordsPerBatch) {
    Properties props = new Properties();
    props.putAll(consumerConfig);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<TopicPartition> partitions = new ArrayList<>();
    Map<TopicPartition, Long> beginnings;
    Map<TopicPartition, Long> ends;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "Kafka topic '"
                + topic
                + "' does not exist at "
                + props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                + "; start a feed (ticklake feed synthetic) or create the topic");
      }
      infos.stream()
          .sorted(Comparator.comparingInt(PartitionInfo::partition))
          .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      beginnings = consumer.beginningOffsets(partitions);
      ends = consumer.endOffsets(partitions);
    }
    List<long[]> pending = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long stored = bronze.txnVersion(appId(topic, tp.partition()));
      long from = Math.max(stored, 0);
      long earliest = beginnings.get(tp);
      if (from < earliest) {
        // Retention deleted records this table never read: say so loudly, it is data loss upstream.
        LOG.warn(
            "{}: records [{}, {}) were deleted by Kafka retention before Bronze read them; continuing at {}",
            tp,
            from,
            earliest,
            earliest);
        from = earliest;
      }
      long end = ends.get(tp);
      if (end > from) {
        pending.add(new long[] {tp.partition(), from, end});
      }
    }
    List<KafkaOffsetRange> ranges = new ArrayList<>();
    long budget = maxRecordsPerBatch;
    for (int i = 0; i < pending.size(); i++) {
      long[] p = pending.get(i);
      long share = Math.max(1, budget / (pending.size() - i));
      long to = Math.min(p[2], p[1] + share);
      budget -= to - p[1];
      ranges.add(new KafkaOffsetRange(topic, (int) p[0], p[1], to));
    }
    return ranges;
  }
}

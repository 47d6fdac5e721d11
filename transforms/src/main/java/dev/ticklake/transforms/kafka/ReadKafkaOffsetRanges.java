package dev.ticklake.transforms.kafka;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads exact offset ranges of Kafka partitions with KafkaIO, as a BOUNDED collection of raw
 * records (key and value bytes untouched).
 *
 * <p>KafkaIO's public bounded modes ({@code withMaxNumRecords}, {@code withStopReadTime}) cannot
 * start at a given offset per partition, which the exactly-once contract needs (the batch starts at
 * the offset stored in the target table). {@code KafkaIO.readSourceDescriptors()} takes exact start
 * and stop offsets per partition; its bounded mode ({@code withBounded()}, which KafkaIO itself
 * uses for {@code withStopReadTime}) is not public in Beam 2.70, so it is reached by reflection
 * here, with a clear error if a Beam upgrade removes it.
 *
 * <p>Guarantees: bounded; emits every record with offset in {@code [from, to)} of each range once
 * per successful run (a retried bundle may re-read, the downstream commit stays exactly-once);
 * ranges of different partitions are read in parallel.
 */
public final class ReadKafkaOffsetRanges
    extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final List<KafkaOffsetRange> ranges;
  private final Map<String, Object> consumerConfig;

  private ReadKafkaOffsetRanges(
      String bootstrapServers, List<KafkaOffsetRange> ranges, Map<String, Object> consumerConfig) {
    this.bootstrapServers = bootstrapServers;
    this.ranges = List.copyOf(ranges);
    this.consumerConfig = Map.copyOf(consumerConfig);
  }

  /**
   * Reads {@code ranges} (empty ranges are left out) from the cluster at {@code bootstrapServers}.
   */
  public static ReadKafkaOffsetRanges of(String bootstrapServers, List<KafkaOffsetRange> ranges) {
    return new ReadKafkaOffsetRanges(bootstrapServers, ranges, Map.of());
  }

  /** Consumer settings (security, fetch tuning) for every consumer the read creates. */
  public ReadKafkaOffsetRanges withConsumerConfig(Map<String, Object> config) {
    return new ReadKafkaOffsetRanges(bootstrapServers, ranges, config);
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin input) {
    List<KafkaSourceDescriptor> descriptors = new ArrayList<>();
    for (KafkaOffsetRange r : ranges) {
      if (r.size() > 0) {
        descriptors.add(
            KafkaSourceDescriptor.of(
                new TopicPartition(r.topic(), r.partition()),
                r.fromInclusive(),
                null,
                r.toExclusive(),
                null,
                null));
      }
    }
    KafkaIO.ReadSourceDescriptors<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>readSourceDescriptors()
            .withBootstrapServers(bootstrapServers)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumerConfig)
            .withCreateTime();
    return input
        .apply(
            "OffsetRanges",
            Create.of(descriptors)
                .withType(
                    new org.apache.beam.sdk.values.TypeDescriptor<KafkaSourceDescriptor>() {}))
        .apply("ReadRanges", bounded(read));
  }

  @SuppressWarnings("unchecked")
  private static <K, V> KafkaIO.ReadSourceDescriptors<K, V> bounded(
      KafkaIO.ReadSourceDescriptors<K, V> read) {
    try {
      Method m = KafkaIO.ReadSourceDescriptors.class.getDeclaredMethod("withBounded");
      m.setAccessible(true);
      return (KafkaIO.ReadSourceDescriptors<K, V>) m.invoke(read);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "This Beam version's KafkaIO.ReadSourceDescriptors has no withBounded(); TickLake needs a bounded "
              + "offset-range read (pinned Beam 2.70.0). Check the Beam version in the parent pom.",
          e);
    }
  }
}

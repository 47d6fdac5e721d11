package dev.ticklake.transforms.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a read of Kafka offset ranges is set up with: shared by {@link ReadKafkaOffsetRanges} (which
 * configures it) and {@link OffsetRangesSource} (which splits and reads it). Immutable (the list
 * and map are copies) and serializable.
 *
 * @param ranges the offset ranges, read in this order
 * @param consumerConfig the consumer's settings ({@code bootstrap.servers}, security, fetch)
 * @param maxRecordsPerSplit most records one split holds
 * @param stallTimeout how long a read may make no progress before it fails
 */
record OffsetRangesRead(
    List<KafkaOffsetRange> ranges,
    Map<String, Object> consumerConfig,
    long maxRecordsPerSplit,
    Duration stallTimeout)
    implements Serializable {

  OffsetRangesRead {
    ranges = List.copyOf(ranges);
    consumerConfig = Map.copyOf(consumerConfig);
    Objects.requireNonNull(stallTimeout, "stallTimeout");
  }

  /** The same read over other ranges (a split's slice). */
  OffsetRangesRead withRanges(List<KafkaOffsetRange> slice) {
    return new OffsetRangesRead(slice, consumerConfig, maxRecordsPerSplit, stallTimeout);
  }

  /** How many offsets the ranges span. */
  long records() {
    return ranges.stream().mapToLong(KafkaOffsetRange::size).sum();
  }
}

package dev.ticklake.transforms.kafka;

import java.io.Serializable;

/**
 * The records {@code [fromInclusive, toExclusive)} of one Kafka topic partition: what one batch
 * reads from it. {@code toExclusive} is the next offset to read after the batch, the position
 * committed with the batch's data.
 */
public record KafkaOffsetRange(String topic, int partition, long fromInclusive, long toExclusive)
    implements Serializable {

  public KafkaOffsetRange {
    if (fromInclusive < 0 || toExclusive < fromInclusive) {
      throw new IllegalArgumentException(
          "Invalid offset range ["
              + fromInclusive
              + ", "
              + toExclusive
              + ") of "
              + topic
              + "-"
              + partition);
    }
  }

  public long size() {
    return toExclusive - fromInclusive;
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "[" + fromInclusive + ", " + toExclusive + ")";
  }
}

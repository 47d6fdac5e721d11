package dev.ticklake.transforms.kafka;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.apache.beam.sdk.io.BoundedSource.BoundedReader;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an {@link OffsetRangesSource}'s ranges one after the other with one consumer that is
 * assigned each partition in turn (no consumer group, nothing committed to Kafka: the position
 * lives in the target Delta table). One element is the records of one poll (up to {@code
 * max.poll.records}): runners do per-element bookkeeping for sources (FlinkRunner updates every
 * metric after each advance, which took 40% of the workers' time when this source emitted single
 * records).
 */
final class OffsetRangesReader extends BoundedReader<List<KafkaRecordBytes>> {
  private final OffsetRangesSource source;
  private final OffsetRangesRead read;
  private final Deque<KafkaOffsetRange> pending;
  private final Counter recordsRead = Metrics.counter("kafka", "recordsRead");
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaOffsetRange range;
  private TopicPartition partition;
  private List<KafkaRecordBytes> current;
  private Instant lastProgress;

  OffsetRangesReader(OffsetRangesSource source) {
    this.source = source;
    this.read = source.read();
    this.pending = new ArrayDeque<>(read.ranges());
  }

  @Override
  public boolean start() {
    Properties props = new Properties();
    props.putAll(read.consumerConfig());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    return advance();
  }

  @Override
  public boolean advance() {
    while (true) {
      if (range == null && !startNextRange()) {
        current = null;
        return false;
      }
      if (consumer.position(partition) >= range.toExclusive()) {
        range = null;
        continue;
      }
      List<ConsumerRecord<byte[], byte[]>> polled =
          consumer.poll(Duration.ofMillis(200)).records(partition);
      if (polled.isEmpty()) {
        failIfStalled();
        continue;
      }
      lastProgress = Instant.now();
      List<KafkaRecordBytes> batch = inRange(polled);
      if (!batch.isEmpty()) {
        recordsRead.inc(batch.size());
        current = batch;
        return true;
      }
    }
  }

  /** Assigns and seeks to the next range's start; false when none is left. */
  private boolean startNextRange() {
    range = pending.poll();
    if (range == null) {
      return false;
    }
    partition = new TopicPartition(range.topic(), range.partition());
    consumer.assign(List.of(partition));
    consumer.seek(partition, range.fromInclusive());
    lastProgress = Instant.now();
    return true;
  }

  /** The polled records inside the current range; ends the range once a record is past it. */
  private List<KafkaRecordBytes> inRange(List<ConsumerRecord<byte[], byte[]>> polled) {
    List<KafkaRecordBytes> batch = new ArrayList<>(polled.size());
    for (ConsumerRecord<byte[], byte[]> r : polled) {
      if (r.offset() >= range.toExclusive()) {
        range = null; // read to its end; the rest of this poll belongs to another slice
        break;
      }
      if (r.offset() >= range.fromInclusive()) {
        batch.add(
            new KafkaRecordBytes(
                r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
      }
    }
    return batch;
  }

  private void failIfStalled() {
    long stallMillis = read.stallTimeout().toMillis();
    if (Duration.between(lastProgress, Instant.now()).toMillis() > stallMillis) {
      throw new IllegalStateException(
          String.format(
              "Kafka read of %s stalled at offset %d for %d s before reaching %d: is the broker"
                  + " at %s up, and were the records deleted by retention?",
              range,
              consumer.position(partition),
              stallMillis / 1000,
              range.toExclusive(),
              read.consumerConfig().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)));
    }
  }

  @Override
  public List<KafkaRecordBytes> getCurrent() {
    if (current == null) {
      throw new NoSuchElementException();
    }
    return current;
  }

  @Override
  public void close() throws IOException {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }

  @Override
  public OffsetRangesSource getCurrentSource() {
    return source;
  }
}

package dev.ticklake.transforms.kafka;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A bounded source over exact Kafka offset ranges. Runners split a source into as many parts as
 * they have workers ({@code estimated size / parallelism}); {@link #split} answers with slices of
 * equal record counts ({@link OffsetRangeSlicer}), so every worker reads and writes the same share
 * without a shuffle, and each worker's reader, converter and file writer run fused in one thread.
 */
final class OffsetRangesSource extends BoundedSource<List<KafkaRecordBytes>> {
  private static final long serialVersionUID = 1L;

  /**
   * Only the ratio estimate / desired bundle size matters for splitting; the size of a tick event
   * in JSON with its Kafka overhead is about this.
   */
  static final long ESTIMATED_RECORD_BYTES = 200;

  private final List<KafkaOffsetRange> ranges;
  private final Map<String, Object> consumerConfig;
  private final long maxRecordsPerSplit;
  private final long stallMillis;

  OffsetRangesSource(
      List<KafkaOffsetRange> ranges,
      Map<String, Object> consumerConfig,
      long maxRecordsPerSplit,
      long stallMillis) {
    this.ranges = List.copyOf(ranges);
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.maxRecordsPerSplit = maxRecordsPerSplit;
    this.stallMillis = stallMillis;
  }

  List<KafkaOffsetRange> ranges() {
    return ranges;
  }

  long records() {
    return ranges.stream().mapToLong(KafkaOffsetRange::size).sum();
  }

  @Override
  public List<OffsetRangesSource> split(long desiredBundleSizeBytes, PipelineOptions options) {
    long records = records();
    long bySize = ceilDiv(records * ESTIMATED_RECORD_BYTES, Math.max(1, desiredBundleSizeBytes));
    long byCap = ceilDiv(records, Math.max(1, maxRecordsPerSplit));
    int slices = (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.max(bySize, byCap)));
    List<OffsetRangesSource> parts = new ArrayList<>();
    for (List<KafkaOffsetRange> slice : OffsetRangeSlicer.slice(ranges, slices)) {
      parts.add(new OffsetRangesSource(slice, consumerConfig, maxRecordsPerSplit, stallMillis));
    }
    return parts;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    return records() * ESTIMATED_RECORD_BYTES;
  }

  @Override
  public Coder<List<KafkaRecordBytes>> getOutputCoder() {
    return ListCoder.of(new KafkaRecordBytes.Coder());
  }

  @Override
  public BoundedReader<List<KafkaRecordBytes>> createReader(PipelineOptions options) {
    return new Reader(this);
  }

  /**
   * Reads the ranges one after the other with one consumer that is assigned each partition in turn
   * (no consumer group, nothing committed to Kafka: the position lives in the target Delta table).
   * One element is the records of one poll (up to {@code max.poll.records}): runners do per-element
   * bookkeeping for sources (FlinkRunner updates every metric after each advance, which took 40% of
   * the workers' time when this source emitted single records).
   */
  private static final class Reader extends BoundedReader<List<KafkaRecordBytes>> {
    private final OffsetRangesSource source;
    private final Deque<KafkaOffsetRange> pending;
    private final Counter recordsRead = Metrics.counter("kafka", "recordsRead");
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaOffsetRange range;
    private TopicPartition partition;
    private List<KafkaRecordBytes> current;
    private Instant lastProgress;

    Reader(OffsetRangesSource source) {
      this.source = source;
      this.pending = new ArrayDeque<>(source.ranges);
    }

    @Override
    public boolean start() {
      Properties props = new Properties();
      props.putAll(source.consumerConfig);
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      return advance();
    }

    @Override
    public boolean advance() {
      while (true) {
        if (range == null) {
          range = pending.poll();
          if (range == null) {
            current = null;
            return false;
          }
          partition = new TopicPartition(range.topic(), range.partition());
          consumer.assign(List.of(partition));
          consumer.seek(partition, range.fromInclusive());
          lastProgress = Instant.now();
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
        if (!batch.isEmpty()) {
          recordsRead.inc(batch.size());
          current = batch;
          return true;
        }
      }
    }

    private void failIfStalled() {
      if (Duration.between(lastProgress, Instant.now()).toMillis() > source.stallMillis) {
        throw new IllegalStateException(
            String.format(
                "Kafka read of %s stalled at offset %d for %d s before reaching %d: is the broker"
                    + " at %s up, and were the records deleted by retention?",
                range,
                consumer.position(partition),
                source.stallMillis / 1000,
                range.toExclusive(),
                source.consumerConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)));
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
}

package dev.ticklake.transforms.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;

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

  private final OffsetRangesRead read;

  OffsetRangesSource(OffsetRangesRead read) {
    this.read = read;
  }

  OffsetRangesRead read() {
    return read;
  }

  @Override
  public List<OffsetRangesSource> split(long desiredBundleSizeBytes, PipelineOptions options) {
    long records = read.records();
    long bySize = ceilDiv(records * ESTIMATED_RECORD_BYTES, Math.max(1, desiredBundleSizeBytes));
    long byCap = ceilDiv(records, Math.max(1, read.maxRecordsPerSplit()));
    int slices = (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.max(bySize, byCap)));
    List<OffsetRangesSource> parts = new ArrayList<>();
    for (List<KafkaOffsetRange> slice : OffsetRangeSlicer.slice(read.ranges(), slices)) {
      parts.add(new OffsetRangesSource(read.withRanges(slice)));
    }
    return parts;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    return read.records() * ESTIMATED_RECORD_BYTES;
  }

  @Override
  public Coder<List<KafkaRecordBytes>> getOutputCoder() {
    return ListCoder.of(new KafkaRecordBytes.Coder());
  }

  @Override
  public BoundedReader<List<KafkaRecordBytes>> createReader(PipelineOptions options) {
    return new OffsetRangesReader(this);
  }
}

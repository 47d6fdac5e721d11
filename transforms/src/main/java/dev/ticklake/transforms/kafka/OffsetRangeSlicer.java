package dev.ticklake.transforms.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a batch's offset ranges into slices of (nearly) equal record counts, one per worker. A slice
 * may hold pieces of several partitions; the ranges are cut at any offset, so the biggest slice is
 * at most one record larger than the smallest whatever the partition skew (keys hash unevenly: with
 * 5 symbols over 2 partitions one partition can hold 80% of the records).
 */
final class OffsetRangeSlicer {
  private OffsetRangeSlicer() {}

  /**
   * Slices {@code ranges} into {@code min(slices, records)} non-empty slices (at least one) that
   * together cover exactly the same offsets, in the order given.
   */
  static List<List<KafkaOffsetRange>> slice(List<KafkaOffsetRange> ranges, int slices) {
    if (slices < 1) {
      throw new IllegalArgumentException("slices must be >= 1, was " + slices);
    }
    long total = ranges.stream().mapToLong(KafkaOffsetRange::size).sum();
    int n = (int) Math.max(1, Math.min(slices, total));
    List<List<KafkaOffsetRange>> out = new ArrayList<>(n);
    List<KafkaOffsetRange> current = new ArrayList<>();
    int k = 0;
    long sliceEnd = end(0, n, total); // global position (records) where slice k ends
    long position = 0; // global position of the next record not yet placed
    for (KafkaOffsetRange r : ranges) {
      long from = r.fromInclusive();
      while (from < r.toExclusive()) {
        long take = Math.min(r.toExclusive() - from, sliceEnd - position);
        current.add(new KafkaOffsetRange(r.topic(), r.partition(), from, from + take));
        from += take;
        position += take;
        if (position == sliceEnd && k < n - 1) {
          out.add(current);
          current = new ArrayList<>();
          k++;
          sliceEnd = end(k, n, total);
        }
      }
    }
    out.add(current);
    return out;
  }

  /** floor((k + 1) * total / n), exact and without overflow. */
  private static long end(int k, int n, long total) {
    return (k + 1) * (total / n) + (k + 1) * (total % n) / n;
  }
}

package dev.ticklake.transforms.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetRangeSlicerTest {

  private static KafkaOffsetRange r(int partition, long from, long to) {
    return new KafkaOffsetRange("t", partition, from, to);
  }

  @Test
  void skewedPartitionsAreCutIntoEqualSlices() {
    // 1,600 records in partition 0 and 400 in partition 1 (5 symbols hashed 4:1), 2 workers.
    List<List<KafkaOffsetRange>> slices =
        OffsetRangeSlicer.slice(List.of(r(0, 0, 1600), r(1, 0, 400)), 2);
    assertThat(slices)
        .containsExactly(List.of(r(0, 0, 1000)), List.of(r(0, 1000, 1600), r(1, 0, 400)));
  }

  @Test
  void slicesDifferByAtMostOneRecordAndCoverEveryOffsetOnce() {
    List<KafkaOffsetRange> ranges = List.of(r(0, 7, 10), r(1, 100, 100), r(2, 5, 12), r(3, 0, 1));
    List<List<KafkaOffsetRange>> slices = OffsetRangeSlicer.slice(ranges, 4);
    assertThat(slices)
        .containsExactly(
            // 11 records: slices of 2, 3, 3, 3 (ends at floor(k * 11 / 4))
            List.of(r(0, 7, 9)),
            List.of(r(0, 9, 10), r(2, 5, 7)),
            List.of(r(2, 7, 10)),
            List.of(r(2, 10, 12), r(3, 0, 1)));
  }

  @Test
  void neverMoreSlicesThanRecords() {
    assertThat(OffsetRangeSlicer.slice(List.of(r(0, 5, 7)), 8))
        .containsExactly(List.of(r(0, 5, 6)), List.of(r(0, 6, 7)));
  }

  @Test
  void nothingToReadIsOneEmptySlice() {
    assertThat(OffsetRangeSlicer.slice(List.of(r(0, 3, 3)), 2)).containsExactly(List.of());
    assertThat(OffsetRangeSlicer.slice(List.of(), 2)).containsExactly(List.of());
  }

  @Test
  void hugeRangesDoNotOverflow() {
    long big = Long.MAX_VALUE / 2;
    List<List<KafkaOffsetRange>> slices = OffsetRangeSlicer.slice(List.of(r(0, 0, big)), 3);
    assertThat(slices.stream().mapToLong(s -> s.get(0).size()).sum()).isEqualTo(big);
    assertThat(slices.get(2).get(0).toExclusive()).isEqualTo(big);
  }

  @Test
  void rejectsZeroSlices() {
    assertThatThrownBy(() -> OffsetRangeSlicer.slice(List.of(r(0, 0, 1)), 0))
        .hasMessage("slices must be >= 1, was 0");
  }
}

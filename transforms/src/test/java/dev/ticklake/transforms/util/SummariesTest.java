package dev.ticklake.transforms.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummariesTest {
  @Test
  void countsAndRangesInsteadOfListing() {
    List<String> days = new ArrayList<>();
    for (int d = 5104; d >= 0; d--) {
      days.add(LocalDate.of(2006, 1, 3).plusDays(d).toString());
    }

    assertThat(Summaries.dates(days)).isEqualTo("5105 dates 2006-01-03..2019-12-25");
  }

  @Test
  void emptySingleAndDuplicates() {
    assertThat(Summaries.dates(List.of())).isEqualTo("no dates");
    assertThat(Summaries.dates(List.of("2026-11-18", "2026-11-18"))).isEqualTo("1 date 2026-11-18");
    assertThat(Summaries.countAndRange(List.of("b", "a", "c"), "partition", "partitions"))
        .isEqualTo("3 partitions a..c");
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> Summaries.dates(Arrays.asList("2026-11-18", null)))
        .isInstanceOf(NullPointerException.class);
  }
}

package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read layer's refresh-ahead: a commit's new version is computed in the background for the
 * queries read recently, with the same result a fresh reader computes, and a request never waits
 * for it to see a commit.
 */
class RefreshAheadTest {
  private static final TableQuery NVDA_NOVEMBER =
      new TableQuery(
          "gold/daily_metrics",
          Set.of("NVDA"),
          Optional.of(Instant.parse("2026-11-01T00:00:00Z")),
          Optional.of(Instant.parse("2026-11-30T00:00:00Z")),
          List.of("trading_date", "symbol", "avg_price", "total_volume"));

  @Test
  void aNewVersionIsComputedAheadAndEqualsAFreshRead(@TempDir Path dir) {
    String lakeRoot = dir.resolve("lake").toString();
    List<List<Object>> expected = new ArrayList<>();
    expected.add(commitDay(lakeRoot, 1));
    try (LakeReader reader = new LakeReader(lakeRoot, 64L << 20)) {
      reader.startRefreshAhead(Duration.ofMinutes(1), Duration.ofMillis(20));
      assertThat(rows(reader.read(NVDA_NOVEMBER))).containsExactlyElementsOf(expected);

      expected.add(commitDay(lakeRoot, 2));
      Await.until(
          Duration.ofSeconds(30),
          "the refresh-ahead computes version 1",
          () -> reader.refreshedAhead() == 1);
      long filesRead = reader.filesRead();
      long hits = reader.cacheStats().hitCount();

      RowSet ahead = reader.read(NVDA_NOVEMBER);

      assertThat(reader.cacheStats().hitCount()).as("a cache hit").isEqualTo(hits + 1);
      assertThat(filesRead).as("the new version's one new file, read ahead").isEqualTo(2);
      assertThat(reader.filesRead()).isEqualTo(filesRead);
      assertThat(ahead.version()).isEqualTo(1);
      assertThat(rows(ahead)).containsExactlyElementsOf(expected);
      try (LakeReader fresh = new LakeReader(lakeRoot, 64L << 20)) {
        RowSet computed = fresh.read(NVDA_NOVEMBER);
        assertThat(ahead.columns()).isEqualTo(computed.columns());
        assertThat(rows(ahead)).containsExactlyElementsOf(rows(computed));
      }
    }
  }

  @Test
  void aQueryRightAfterACommitSeesItsRowsWhetherOrNotTheRefreshAheadRan(@TempDir Path dir) {
    String lakeRoot = dir.resolve("lake").toString();
    List<List<Object>> expected = new ArrayList<>();
    expected.add(commitDay(lakeRoot, 1));
    try (LakeReader reader = new LakeReader(lakeRoot, 64L << 20)) {
      // A poll so rare that it never runs during the test: the request computes the new version.
      reader.startRefreshAhead(Duration.ofMinutes(1), Duration.ofHours(1));
      assertThat(rows(reader.read(NVDA_NOVEMBER))).containsExactlyElementsOf(expected);

      expected.add(commitDay(lakeRoot, 2));

      RowSet after = reader.read(NVDA_NOVEMBER);
      assertThat(after.version()).isEqualTo(1);
      assertThat(rows(after)).containsExactlyElementsOf(expected);
      assertThat(reader.refreshedAhead()).isZero();
    }
  }

  private static List<Object> commitDay(String lakeRoot, int day) {
    return ServingFixture.commitNvdaDay(lakeRoot, LocalDate.of(2026, 11, day));
  }

  private static List<List<Object>> rows(RowSet rows) {
    return rows.rows().stream().map(r -> List.copyOf(Arrays.asList(r))).toList();
  }
}

package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.delta.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read layer alone: exact rows, pruning and skipping, the bounded cache, bad names. */
class LakeReaderTest {
  static FixtureLake lake;

  @BeforeAll
  static void buildLake() {
    lake = ServingFixture.lake();
  }

  @Test
  void readsExactlyTheRowsOfTheRangeFromTheFilesOfItsPartitionsOnly() {
    LakeReader reader = new LakeReader(lake.lakeRoot(), 64L << 20);
    Instant from = Instant.parse("2026-11-19T14:10:00Z");
    Instant to = Instant.parse("2026-11-19T14:19:00Z");
    RowSet rows =
        reader.read(
            TableQuery.range("gold/bars_1m", Set.of("MSFT"), from, to)
                .withColumns(List.of("symbol", "bar_start", "close")));
    List<Map<String, Object>> all =
        KernelTableReader.of(TableCatalog.GOLD_BARS_1M.location(lake.lakeRoot())).readLatest();
    List<Object> expected =
        KernelTableReader.sorted(all, "bar_start").stream()
            .filter(r -> r.get("symbol").equals("MSFT"))
            .filter(r -> !((Instant) r.get("bar_start")).isBefore(from))
            .filter(r -> !((Instant) r.get("bar_start")).isAfter(to))
            .map(r -> List.of(r.get("symbol"), r.get("bar_start"), r.get("close")))
            .map(Object.class::cast)
            .toList();
    assertThat(rows.rows().stream().map(r -> (Object) List.of(r)).toList())
        .containsExactlyElementsOf(expected)
        .hasSize(10);
    long msftDay1Files =
        DeltaTable.at(TableCatalog.GOLD_BARS_1M.location(lake.lakeRoot()))
            .scan()
            .withPartitionFilter(
                p -> p.get("symbol").equals("MSFT") && p.get("trade_date").equals("2026-11-19"))
            .files()
            .size();
    assertThat(reader.filesRead()).as("only MSFT's day-1 partition").isEqualTo(msftDay1Files);
  }

  @Test
  void skipsFilesWhoseStatisticsCannotMatch() {
    LakeReader reader = new LakeReader(lake.lakeRoot(), 64L << 20);
    // Day 1's partition passes the date filter, but its bars end before 20:00 (stats max).
    RowSet evening =
        reader.read(
            TableQuery.range(
                "gold/bars_1m",
                Set.of("AAPL"),
                Instant.parse("2026-11-19T20:00:00Z"),
                Instant.parse("2026-11-19T21:00:00Z")));
    assertThat(evening.rows()).isEmpty();
    assertThat(reader.filesRead()).isZero();
  }

  @Test
  void datesMatchByDayAndEveryColumnIsReadWhenNoneIsNamed() {
    LakeReader reader = new LakeReader(lake.lakeRoot(), 64L << 20);
    RowSet days =
        reader.read(
            new TableQuery(
                "gold/daily_metrics",
                Set.of("AAPL"),
                Optional.of(Instant.parse("2026-11-19T23:00:00Z")),
                Optional.of(Instant.parse("2026-11-20T01:00:00Z")),
                List.of()));
    assertThat(days.columns())
        .containsExactly("trading_date", "symbol", "avg_price", "total_volume");
    assertThat(days.rows())
        .extracting(r -> r[0])
        .containsExactly(LocalDate.parse("2026-11-19"), LocalDate.parse("2026-11-20"));
  }

  @Test
  void theCacheStaysWithinItsCapAndAnswersRepeatsWithoutReading() {
    LakeReader reader = new LakeReader(lake.lakeRoot(), 20_000);
    TableQuery msft =
        TableQuery.range(
            "gold/bars_1m",
            Set.of("MSFT"),
            Instant.parse("2026-11-19T14:00:00Z"),
            Instant.parse("2026-11-19T15:00:00Z"));
    reader.read(msft);
    long files = reader.filesRead();
    reader.read(msft);
    assertThat(reader.filesRead()).as("a repeat is a cache hit").isEqualTo(files);
    for (String symbol : List.of("AAPL", "MSFT", "NVDA")) {
      for (int hours = 1; hours <= 6; hours++) {
        // cached under whole hours: a range starting an hour earlier is another entry
        reader.read(
            TableQuery.range(
                "gold/bars_1m",
                Set.of(symbol),
                Instant.parse("2026-11-19T14:00:00Z").minusSeconds(3600L * hours),
                Instant.parse("2026-11-19T15:00:00Z")));
      }
    }
    assertThat(reader.cachedBytes()).isLessThanOrEqualTo(20_000);
    assertThat(reader.cacheStats().evictionCount()).isPositive();
  }

  @Test
  void aNewVersionDecodesOnlyTheFilesItsCommitAdded(@TempDir Path dir) {
    FixtureLake own = new FixtureLake(dir.resolve("lake"));
    Instant day = ServingFixture.DAY1;
    List<FixtureLake.Trade> aapl = FixtureLake.trades("AAPL", day, 5, 1);
    List<FixtureLake.Trade> first = FixtureLake.trades("NVDA", day, 10, 4);
    List<FixtureLake.Trade> both = new ArrayList<>(aapl);
    both.addAll(first);
    own.ingest(both, List.of());
    LakeReader reader = new LakeReader(own.lakeRoot(), 64L << 20);
    TableQuery query =
        TableQuery.range("gold/bars_1m", Set.of("AAPL", "NVDA"), day, day.plusSeconds(3600))
            .withColumns(List.of("symbol", "bar_start", "close"));
    assertThat(reader.read(query).rows()).hasSize(5 + 10);
    String location = TableCatalog.GOLD_BARS_1M.location(own.lakeRoot());
    Set<String> before = filePaths(location);
    long filesBefore = reader.filesRead();

    // Three more NVDA minutes: AAPL's files stay as they are.
    List<FixtureLake.Trade> nvda = FixtureLake.trades("NVDA", day, 13, 4);
    own.ingest(nvda.subList(first.size(), nvda.size()), List.of());
    Set<String> added = new HashSet<>(filePaths(location));
    added.removeAll(before);
    RowSet after = reader.read(query);

    List<List<Object>> expected = new ArrayList<>();
    FixtureLake.bars(aapl).forEach(b -> expected.add(List.of("AAPL", b.start(), b.close())));
    FixtureLake.bars(nvda).forEach(b -> expected.add(List.of("NVDA", b.start(), b.close())));
    assertThat(after.rows())
        .extracting(r -> List.of(r[0], r[1], r[2]))
        .containsExactlyElementsOf(expected);
    assertThat(added).as("the second ingest's commit added files").isNotEmpty();
    assertThat(reader.filesRead() - filesBefore)
        .as("only the files the new commit added are decoded, AAPL's come from the cache")
        .isEqualTo(added.size());
  }

  @Test
  void aVersionPastACheckpointIsReadFromTheCheckpointAndTheCommitsAfterIt(@TempDir Path dir)
      throws IOException {
    // Eleven commits of one daily row each, written by DeltaIO: delta-standalone checkpoints at
    // version 10, so the file list comes from a checkpoint's Parquet and the commit after it.
    String lakeRoot = dir.resolve("lake").toString();
    List<List<Object>> expected = new ArrayList<>();
    for (int d = 0; d < 11; d++) {
      expected.add(
          ServingFixture.commitNvdaDay(lakeRoot, LocalDate.parse("2026-11-01").plusDays(d)));
    }
    Path log = Path.of(TableCatalog.GOLD_DAILY_METRICS.location(lakeRoot), "_delta_log");
    try (var files = Files.list(log)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".checkpoint.parquet"));
    }

    RowSet rows =
        new LakeReader(lakeRoot, 64L << 20)
            .read(
                new TableQuery(
                    "gold/daily_metrics",
                    Set.of("NVDA"),
                    Optional.of(Instant.parse("2026-11-02T00:00:00Z")),
                    Optional.empty(),
                    List.of()));

    assertThat(rows.rows())
        .extracting(r -> List.of(r[0], r[1], r[2], r[3]))
        .containsExactlyElementsOf(expected.subList(1, 11));
  }

  private static Set<String> filePaths(String location) {
    Set<String> paths = new HashSet<>();
    DeltaTable.at(location).filesAt(-1).forEach(f -> paths.add(f.getPath()));
    return paths;
  }

  @Test
  void rangesMovingWithNowShareOneCachedReadAndEachAnswersItsExactRows() {
    LakeReader reader = new LakeReader(lake.lakeRoot(), 64L << 20);
    List<Map<String, Object>> all =
        KernelTableReader.of(TableCatalog.GOLD_BARS_1M.location(lake.lakeRoot())).readLatest();
    Instant now = Instant.parse("2026-11-19T14:20:30Z");
    long filesAfterFirst = -1;
    for (int refresh = 0; refresh < 4; refresh++) {
      // a dashboard's "last 15 minutes", refreshed every 5 s
      Instant to = now.plusSeconds(5L * refresh);
      Instant from = to.minusSeconds(15 * 60);
      RowSet rows =
          reader.read(
              TableQuery.range("gold/bars_1m", Set.of("MSFT"), from, to)
                  .withColumns(List.of("close")));
      List<Object> expected =
          KernelTableReader.sorted(all, "bar_start").stream()
              .filter(r -> r.get("symbol").equals("MSFT"))
              .filter(r -> !((Instant) r.get("bar_start")).isBefore(from))
              .filter(r -> !((Instant) r.get("bar_start")).isAfter(to))
              .map(r -> r.get("close"))
              .toList();
      assertThat(rows.columns()).containsExactly("close");
      assertThat(rows.rows().stream().map(r -> r[0]).toList())
          .as("refresh %d", refresh)
          .isNotEmpty()
          .containsExactlyElementsOf(expected);
      if (refresh == 0) {
        filesAfterFirst = reader.filesRead();
      }
    }
    assertThat(reader.filesRead()).as("later refreshes read no file").isEqualTo(filesAfterFirst);
    assertThat(reader.cacheStats().hitCount()).isEqualTo(3);
  }

  @Test
  void unknownTablesAndColumnsAreBadRequestsAndMissingTablesAreEmpty() {
    LakeReader reader = new LakeReader(lake.lakeRoot(), 1 << 20);
    assertThatThrownBy(() -> reader.read(TableQuery.all("gold/../../etc")))
        .isInstanceOf(ServingRequestException.class)
        .hasMessageStartingWith("unknown table 'gold/../../etc'; served tables: gold/bars_1m");
    assertThatThrownBy(
            () -> reader.read(TableQuery.all("gold/bars_1m").withColumns(List.of("secret"))))
        .isInstanceOf(ServingRequestException.class)
        .hasMessageStartingWith("table gold/bars_1m has no column 'secret'; columns: [symbol,");
    assertThat(reader.read(TableQuery.all("gold/predictions")).rows()).isEmpty();
    assertThat(reader.latestVersion("gold/predictions")).isEqualTo(-1);
  }
}

package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFeedTest {

  @TempDir Path dir;
  private final List<FeedProblem> problems = new ArrayList<>();

  private Path fixture(String name) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, FixtureServer.fixture(name));
    return file;
  }

  private Path csv(String content) throws IOException {
    return Files.writeString(dir.resolve("history.csv"), content);
  }

  private List<MarketEvent> events(CsvFeed feed) {
    List<MarketEvent> events = new ArrayList<>();
    feed.open(problems::add).forEachRemaining(item -> events.add(item.event()));
    return events;
  }

  private static MarketEvent bar(
      String symbol, String ts, BarInterval i, double o, double h, double l, double c, long v) {
    return MarketEvent.bar(symbol, Instant.parse(ts), i, o, h, l, c, v, "csv", null);
  }

  @Test
  void yahooDailyHistoryBecomesDailyBarsAndTheNullLineIsReported() throws IOException {
    CsvFeed feed =
        new CsvFeed(
            fixture("yahoo-aapl-daily-bad-line.csv"), "AAPL", CsvFeed.DEFAULT_ZONE, null, 0);

    assertThat(events(feed))
        .containsExactly(
            bar(
                "AAPL",
                "2024-01-02T00:00:00Z",
                BarInterval.ONE_DAY,
                187.149994,
                188.440002,
                183.889999,
                185.639999,
                82488700),
            bar(
                "AAPL",
                "2024-01-03T00:00:00Z",
                BarInterval.ONE_DAY,
                184.220001,
                185.880005,
                183.429993,
                184.25,
                58414500),
            bar(
                "AAPL",
                "2024-01-05T00:00:00Z",
                BarInterval.ONE_DAY,
                181.990005,
                182.759995,
                180.169998,
                181.179993,
                62303300));
    assertThat(problems).containsExactly(FeedProblem.error("line 4", "high is null"));
    assertThat(problems.get(0).message()).isEqualTo("line 4: high is null (skipped)");
  }

  @Test
  void spacedHeadersAndIntradayLocalTimesInSummerTime() throws IOException {
    CsvFeed feed =
        new CsvFeed(fixture("intraday-spaced-headers.csv"), "AAPL", CsvFeed.DEFAULT_ZONE, null, 0);

    // July: New York is UTC-4, so 09:30 = 13:30Z; the smallest gap (5 min) is the interval.
    assertThat(events(feed))
        .containsExactly(
            bar(
                "AAPL",
                "2024-07-01T13:30:00Z",
                BarInterval.FIVE_MINUTES,
                216.75,
                217.51,
                216.42,
                217.20,
                1234500),
            bar(
                "AAPL",
                "2024-07-01T13:35:00Z",
                BarInterval.FIVE_MINUTES,
                217.20,
                217.64,
                216.98,
                217.41,
                845210),
            bar(
                "AAPL",
                "2024-07-01T13:45:00Z",
                BarInterval.FIVE_MINUTES,
                217.41,
                217.55,
                217.02,
                217.10,
                611003));
    assertThat(problems).isEmpty();
  }

  @Test
  void columnsInAnyOrderWithoutAdjCloseWithOffsetsAndAGivenInterval() throws IOException {
    Path file =
        csv(
            "volume,close,low,high,open,datetime\n"
                + "100,10.5,10.0,11.0,10.2,2024-01-02 09:30:00-05:00\n"
                + "200,10.7,10.4,10.9,10.5,2024-01-02T10:30:00-05:00\n");

    List<MarketEvent> events =
        events(new CsvFeed(file, "X", ZoneId.of("UTC"), BarInterval.ONE_MINUTE, 0));

    assertThat(events)
        .containsExactly(
            bar("X", "2024-01-02T14:30:00Z", BarInterval.ONE_MINUTE, 10.2, 11.0, 10.0, 10.5, 100),
            bar("X", "2024-01-02T15:30:00Z", BarInterval.ONE_MINUTE, 10.5, 10.9, 10.4, 10.7, 200));
  }

  @Test
  void everyKindOfBadLineIsReportedWithItsLineNumberAndReason() throws IOException {
    Path file =
        csv(
            "Date,Open,High,Low,Close,Adj Close,Volume\n"
                + "2024-01-02,1,2,0.5,1.5,1.5,100\n"
                + "2024-01-03,1,2,0.5,1.5,100\n"
                + "\n"
                + "2024-01-04,abc,2,0.5,1.5,1.5,100\n"
                + "2024-13-05,1,2,0.5,1.5,1.5,100\n"
                + "2024-01-08,1,2,3,1.5,1.5,100\n"
                + "2024-01-09,1,2,0.5,1.5,1.5,12.5\n"
                + "yesterday 10am,1,2,0.5,1.5,1.5,100\n"
                + "2024-01-10,1,2,0.5,1.5,1.5,100\n");

    List<MarketEvent> events = events(new CsvFeed(file, "X", CsvFeed.DEFAULT_ZONE, null, 0));

    assertThat(events)
        .extracting(MarketEvent::ts)
        .containsExactly(
            Instant.parse("2024-01-02T00:00:00Z"), Instant.parse("2024-01-10T00:00:00Z"));
    assertThat(problems)
        .containsExactly(
            FeedProblem.error("line 3", "expected 7 columns, found 6"),
            FeedProblem.error("line 5", "open 'abc' is not a number"),
            FeedProblem.error("line 6", "date '2024-13-05' is not a date (yyyy-MM-dd)"),
            FeedProblem.error("line 7", "high 2.0 is below low 3.0"),
            FeedProblem.error("line 8", "volume '12.5' is not a whole number >= 0"),
            FeedProblem.error(
                "line 9",
                "time 'yesterday 10am' is not a date or date-time (2024-01-02, 2024-01-02"
                    + " 09:30:00)"));
  }

  @Test
  void aHeaderWithoutRequiredColumnsIsAClearError() throws IOException {
    Path file = csv("Date,Open,High,Close\n2024-01-02,1,2,1.5\n");

    assertThatThrownBy(() -> events(new CsvFeed(file, "X", CsvFeed.DEFAULT_ZONE, null, 0)))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "csv: the header of "
                + file
                + " lacks Low, Volume (expected Date,Open,High,Low,Close,Adj Close,Volume; found:"
                + " Date,Open,High,Close)");
  }

  @Test
  void anIntervalThatCannotBeInferredAsksForOne() throws IOException {
    Path file =
        csv(
            "Date,Open,High,Low,Close,Volume\n"
                + "2024-01-02 09:30,1,2,0.5,1.5,100\n"
                + "2024-01-02 09:32,1,2,0.5,1.5,100\n");

    assertThatThrownBy(() -> events(new CsvFeed(file, "X", CsvFeed.DEFAULT_ZONE, null, 0)))
        .isInstanceOf(FeedException.class)
        .hasMessage(
            "csv: cannot infer the bar interval of "
                + file
                + ": the smallest gap between rows is 2 min, not one of 1min, 5min, 15min,"
                + " 30min, 60min, 1d; pass --interval");
  }

  @Test
  void theSymbolIsRequiredAndAMissingFileIsNamed() {
    Path missing = dir.resolve("missing.csv");
    assertThatThrownBy(() -> new CsvFeed(missing, " ", CsvFeed.DEFAULT_ZONE, null, 0))
        .isInstanceOf(FeedException.class)
        .hasMessage("csv: a symbol is required (--symbol AAPL): the file does not name it");
    assertThatThrownBy(() -> events(new CsvFeed(missing, "X", CsvFeed.DEFAULT_ZONE, null, 0)))
        .isInstanceOf(FeedException.class)
        .hasMessage("csv: file not found: " + missing);
  }

  @Test
  void replayPacingSpacesItemsByHistoryDividedBySpeed() throws IOException {
    CsvFeed feed =
        new CsvFeed(fixture("intraday-spaced-headers.csv"), "AAPL", CsvFeed.DEFAULT_ZONE, null, 60);
    Pacing pacing = feed.pacing();
    List<Long> due = new ArrayList<>();
    long index = 0;
    for (var it = feed.open(problems::add); it.hasNext(); index++) {
      due.add(pacing.dueNanos(index, it.next()));
    }
    // 0, 5 and 15 minutes of history at 60x: 0 s, 5 s, 15 s.
    assertThat(due).containsExactly(0L, 5_000_000_000L, 15_000_000_000L);
  }
}

package dev.ticklake.feeds;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Replays OHLCV history from a CSV file in the Yahoo Finance layout {@code
 * Date,Open,High,Low,Close,Adj Close,Volume} as bar events of one symbol.
 *
 * <p><b>Header</b>: names are matched ignoring case, spaces and underscores ({@code Adj Close},
 * {@code adjclose}); any column order; {@code Adj Close} and unknown columns are ignored. The time
 * column may be called {@code Date}, {@code Datetime}, {@code Timestamp} or {@code Time}.
 *
 * <p><b>Times</b>: a date ({@code 2024-01-02}) is a daily bar stamped {@code 2024-01-02T00:00:00Z};
 * a local date-time ({@code 2024-01-02 09:30:00} or with {@code T}) is read in the feed's time zone
 * (default {@code America/New_York}); a date-time with an offset ({@code
 * 2024-01-02T09:30:00-05:00}, or Yahoo's {@code 2024-01-02 09:30:00-05:00}) is exact. The interval
 * of intraday rows is the given one, else the smallest positive gap between consecutive rows.
 *
 * <p><b>Bad lines</b> (wrong column count, {@code null} values as Yahoo writes them, numbers or
 * times that do not parse, high below low, negative volume) are reported to the problem listener
 * with their line number and reason, counted as errors and skipped. Blank lines are ignored.
 *
 * <p>Loads the whole file on {@link #open} (history files are small), emits rows oldest first, with
 * source {@code csv} and no event id (Silver derives a stable one, so a replay of the same file
 * produces the same ids). Immutable.
 */
public final class CsvFeed implements Feed {

  public static final String SOURCE = "csv";
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/New_York");

  private static final DateTimeFormatter LOCAL_DATE_TIME =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .optionalStart()
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalEnd()
          .optionalStart()
          .appendOffsetId()
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  private final Path file;
  private final String symbol;
  private final ZoneId zone;
  private final BarInterval interval;
  private final double speed;

  /**
   * @param file the CSV file
   * @param symbol the symbol of every row (the file does not say)
   * @param zone the time zone of local date-times
   * @param interval the bar interval, or null to infer it
   * @param speed replay speed-up (60 = one minute of history per second); 0 = as fast as possible
   */
  public CsvFeed(Path file, String symbol, ZoneId zone, BarInterval interval, double speed) {
    this.file = Objects.requireNonNull(file, "file");
    if (symbol == null || symbol.isBlank()) {
      throw new FeedException(
          "csv: a symbol is required (--symbol AAPL): the file does not name it");
    }
    this.symbol = symbol;
    this.zone = Objects.requireNonNull(zone, "zone");
    this.interval = interval;
    if (!(speed >= 0)) {
      throw new IllegalArgumentException("speed must be >= 0, got " + speed);
    }
    this.speed = speed;
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Pacing pacing() {
    return Pacing.replay(speed);
  }

  @Override
  public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new FeedException("csv: file not found: " + file);
    } catch (IOException e) {
      throw new FeedException("csv: cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(lines, problems).iterator();
  }

  /** One parsed row before the interval is known. */
  private record Row(
      Instant ts, boolean dateOnly, double o, double h, double l, double c, long v) {}

  List<FeedItem> parse(List<String> lines, Consumer<FeedProblem> problems) {
    int headerIndex = 0;
    while (headerIndex < lines.size() && lines.get(headerIndex).isBlank()) {
      headerIndex++;
    }
    if (headerIndex == lines.size()) {
      throw new FeedException("csv: " + file + " is empty (expected a header line)");
    }
    Header header = Header.parse(lines.get(headerIndex), file);
    List<Row> rows = new ArrayList<>();
    for (int i = headerIndex + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(parseRow(header, line));
      } catch (BadLine e) {
        problems.accept(FeedProblem.error("line " + (i + 1), e.getMessage()));
      }
    }
    rows.sort(Comparator.comparing(Row::ts));
    BarInterval resolved = resolveInterval(rows);
    List<FeedItem> items = new ArrayList<>(rows.size());
    for (Row r : rows) {
      items.add(
          FeedItem.of(
              MarketEvent.bar(symbol, r.ts, resolved, r.o, r.h, r.l, r.c, r.v, SOURCE, null)));
    }
    return items;
  }

  private BarInterval resolveInterval(List<Row> rows) {
    if (rows.isEmpty()) {
      return interval != null ? interval : BarInterval.ONE_DAY;
    }
    boolean daily = rows.stream().allMatch(Row::dateOnly);
    if (daily) {
      if (interval != null && interval != BarInterval.ONE_DAY) {
        throw new FeedException(
            "csv: " + file + " has daily dates but the interval is " + interval.label());
      }
      return BarInterval.ONE_DAY;
    }
    if (interval != null) {
      return interval;
    }
    Duration smallest = null;
    for (int i = 1; i < rows.size(); i++) {
      Duration gap = Duration.between(rows.get(i - 1).ts, rows.get(i).ts);
      if (!gap.isZero() && !gap.isNegative() && (smallest == null || gap.compareTo(smallest) < 0)) {
        smallest = gap;
      }
    }
    for (BarInterval candidate : BarInterval.values()) {
      if (candidate.duration().equals(smallest)) {
        return candidate;
      }
    }
    throw new FeedException(
        "csv: cannot infer the bar interval of "
            + file
            + ": the smallest gap between rows is "
            + (smallest == null ? "none (one row)" : smallest.toMinutes() + " min")
            + ", not one of 1min, 5min, 15min, 30min, 60min, 1d; pass --interval");
  }

  private Row parseRow(Header header, String line) throws BadLine {
    String[] cells = line.split(",", -1);
    if (cells.length != header.columns) {
      throw new BadLine("expected " + header.columns + " columns, found " + cells.length);
    }
    String time = cell(cells, header.time, "date");
    double open = number(cells, header.open, "open");
    double high = number(cells, header.high, "high");
    double low = number(cells, header.low, "low");
    double close = number(cells, header.close, "close");
    long volume = volume(cell(cells, header.volume, "volume"));
    if (high < low) {
      throw new BadLine("high " + high + " is below low " + low);
    }
    if (time.length() == 10) {
      try {
        return new Row(
            LocalDate.parse(time).atStartOfDay().toInstant(ZoneOffset.UTC),
            true,
            open,
            high,
            low,
            close,
            volume);
      } catch (DateTimeParseException e) {
        throw new BadLine("date '" + time + "' is not a date (yyyy-MM-dd)");
      }
    }
    return new Row(instant(time), false, open, high, low, close, volume);
  }

  private Instant instant(String time) throws BadLine {
    try {
      var parsed = LOCAL_DATE_TIME.parseBest(time, OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime odt
          ? odt.toInstant()
          : ((LocalDateTime) parsed).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadLine(
          "time '" + time + "' is not a date or date-time (2024-01-02, 2024-01-02 09:30:00)");
    }
  }

  private static String cell(String[] cells, int index, String name) throws BadLine {
    String value = unquote(cells[index].trim());
    if (value.isEmpty() || value.equalsIgnoreCase("null")) {
      throw new BadLine(name + " is " + (value.isEmpty() ? "empty" : "null"));
    }
    return value;
  }

  private static double number(String[] cells, int index, String name) throws BadLine {
    String value = cell(cells, index, name);
    try {
      double d = Double.parseDouble(value);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new BadLine(name + " '" + value + "' is not a number");
    }
  }

  private static long volume(String value) throws BadLine {
    try {
      double d = Double.parseDouble(value);
      if (d < 0 || d != Math.rint(d) || d > Long.MAX_VALUE) {
        throw new BadLine("volume '" + value + "' is not a whole number >= 0");
      }
      return (long) d;
    } catch (NumberFormatException e) {
      throw new BadLine("volume '" + value + "' is not a number");
    }
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1).trim()
        : s;
  }

  /** Column positions from the header line. */
  private record Header(int columns, int time, int open, int high, int low, int close, int volume) {
    static Header parse(String line, Path file) {
      String[] names = line.split(",", -1);
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < names.length; i++) {
        index.putIfAbsent(normalize(names[i]), i);
      }
      Integer time = null;
      for (String name : List.of("date", "datetime", "timestamp", "time")) {
        if (time == null) {
          time = index.get(name);
        }
      }
      List<String> missing = new ArrayList<>();
      if (time == null) {
        missing.add("Date");
      }
      for (String name : List.of("open", "high", "low", "close", "volume")) {
        if (!index.containsKey(name)) {
          missing.add(Character.toUpperCase(name.charAt(0)) + name.substring(1));
        }
      }
      if (!missing.isEmpty()) {
        throw new FeedException(
            "csv: the header of "
                + file
                + " lacks "
                + String.join(", ", missing)
                + " (expected Date,Open,High,Low,Close,Adj Close,Volume; found: "
                + line.trim()
                + ")");
      }
      return new Header(
          names.length,
          time,
          index.get("open"),
          index.get("high"),
          index.get("low"),
          index.get("close"),
          index.get("volume"));
    }

    private static String normalize(String name) {
      return unquote(name.trim()).replace(" ", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
  }

  /** A line that cannot become a bar; the message is the reason. */
  private static final class BadLine extends Exception {
    BadLine(String reason) {
      super(reason, null, false, false);
    }
  }
}

package dev.ticklake.orchestrator.core.dag;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron expression evaluated in UTC.
 *
 * <p>Syntax: five fields {@code minute hour day-of-month month day-of-week}, or six with a leading
 * {@code second} field. Each field is {@code *}, a value, a range {@code a-b}, a step {@code
 * *}/{@code n}, {@code a-b/n} or {@code a/n}, or a comma-separated list of these. Months accept
 * {@code JAN}..{@code DEC}, days of week {@code SUN}..{@code SAT}; day of week 0 and 7 are Sunday;
 * {@code ?} means {@code *}. Macros: {@code @yearly}/{@code @annually}, {@code @monthly}, {@code
 * @weekly}, {@code @daily}/{@code @midnight}, {@code @hourly}. As in Vixie cron, when both day of
 * month and day of week are restricted (neither starts with {@code *}), a day matches if either
 * matches.
 *
 * <p>Immutable and thread-safe. An expression that can never fire (e.g. {@code 0 0 30 2 *}) is
 * rejected by {@link #parse}.
 */
public final class CronExpression {

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** How far {@link #next} searches before deciding an expression never fires again. */
  private static final int SEARCH_YEARS = 30;

  private final String text;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronExpression(String text, String[] f) {
    this.text = text;
    int o = f.length == 6 ? 1 : 0;
    this.seconds = o == 1 ? parseField(f[0], "second", 0, 59, null) : bits(0);
    this.minutes = parseField(f[o], "minute", 0, 59, null);
    this.hours = parseField(f[o + 1], "hour", 0, 23, null);
    this.daysOfMonth = parseField(f[o + 2], "day-of-month", 1, 31, null);
    this.months = parseField(f[o + 3], "month", 1, 12, MONTHS);
    BitSet dow = parseField(f[o + 4], "day-of-week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
    this.domRestricted = !isWildcard(f[o + 2]);
    this.dowRestricted = !isWildcard(f[o + 4]);
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the field and the bad part, e.g. {@code minute field
   *     '61': 61 is out of range 0-59}
   */
  public static CronExpression parse(String text) {
    String trimmed = text.trim();
    String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    if (expanded.startsWith("@")) {
      throw new IllegalArgumentException(
          "unknown macro '" + trimmed + "' (known: @yearly, @monthly, @weekly, @daily, @hourly)");
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new IllegalArgumentException(
          "a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with"
              + " a leading second field, got "
              + fields.length
              + " in '"
              + trimmed
              + "'");
    }
    CronExpression cron = new CronExpression(trimmed, fields);
    Instant probe = Instant.parse("2000-01-01T00:00:00Z");
    if (cron.next(probe).isEmpty()) {
      throw new IllegalArgumentException("'" + trimmed + "' never fires");
    }
    return cron;
  }

  /** The first time strictly after {@code after} that matches, in UTC; empty if none soon. */
  public Optional<Instant> next(Instant after) {
    LocalDateTime t =
        LocalDateTime.ofInstant(after, ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.SECONDS)
            .plusSeconds(1);
    int lastYear = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      } else if (!seconds.get(t.getSecond())) {
        t = t.plusSeconds(1);
      } else {
        return Optional.of(t.toInstant(ZoneOffset.UTC));
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static boolean isWildcard(String field) {
    return field.startsWith("*") || field.equals("?");
  }

  private static BitSet bits(int value) {
    BitSet b = new BitSet();
    b.set(value);
    return b;
  }

  private static BitSet parseField(
      String field, String name, int min, int max, List<String> names) {
    BitSet result = new BitSet();
    for (String item : field.split(",", -1)) {
      try {
        parseItem(item, min, max, names, result);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " field '" + field + "': " + e.getMessage());
      }
    }
    return result;
  }

  private static void parseItem(String item, int min, int max, List<String> names, BitSet out) {
    int slash = item.indexOf('/');
    String range = slash < 0 ? item : item.substring(0, slash);
    int step = 1;
    if (slash >= 0) {
      step = number(item.substring(slash + 1), 0, Integer.MAX_VALUE, null, "step");
      if (step == 0) {
        throw new IllegalArgumentException("step must be at least 1");
      }
    }
    int from;
    int to;
    if (range.equals("*") || range.equals("?")) {
      from = min;
      to = max;
    } else if (range.contains("-")) {
      String[] ends = range.split("-", -1);
      if (ends.length != 2) {
        throw new IllegalArgumentException("bad range '" + range + "'");
      }
      from = number(ends[0], min, max, names, "value");
      to = number(ends[1], min, max, names, "value");
      if (from > to) {
        throw new IllegalArgumentException("range '" + range + "' goes backwards");
      }
    } else {
      from = number(range, min, max, names, "value");
      // "a/n" means from a to the end of the range; a plain "a" is just a.
      to = slash >= 0 ? max : from;
    }
    for (int v = from; v <= to; v += step) {
      out.set(v);
    }
  }

  private static int number(String s, int min, int max, List<String> names, String what) {
    String upper = s.toUpperCase(Locale.ROOT);
    if (names != null && names.contains(upper)) {
      return names.indexOf(upper) + (min == 1 ? 1 : 0);
    }
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 9) {
      throw new IllegalArgumentException("'" + s + "' is not a number");
    }
    int v = Integer.parseInt(s);
    if (v < min || v > max) {
      throw new IllegalArgumentException(what + " " + v + " is out of range " + min + "-" + max);
    }
    return v;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}

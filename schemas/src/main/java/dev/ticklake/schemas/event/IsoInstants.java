package dev.ticklake.schemas.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Parses ISO-8601 instants with an offset ({@code Z} or {@code ±HH:MM}) to UTC {@link Instant}s.
 *
 * <p>{@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} is the definition of what is accepted. Because
 * it costs about a microsecond per call, the common shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|
 * ±HH:MM)} is parsed by hand first; anything that does not fit it, or whose fields are out of
 * range, goes to the formatter, which then accepts or rejects it. The fast path only accepts
 * strings the formatter accepts too, and returns the same instant (checked by a test). Stateless
 * and thread-safe.
 */
final class IsoInstants {
  private static final int MIN_FAST_LENGTH = "2026-01-01T00:00:00Z".length();

  private IsoInstants() {}

  /** Returns the instant, or null if {@code text} is not an ISO-8601 date-time with offset. */
  static Instant parseOrNull(String text) {
    Instant fast = parseFastOrNull(text);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The hand-written path; null means "not decided here", never "invalid". */
  static Instant parseFastOrNull(String s) {
    int length = s.length();
    if (length < MIN_FAST_LENGTH
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    int pos = 19;
    int nanos = 0;
    if (s.charAt(pos) == '.') {
      int start = ++pos;
      while (pos < length && isDigit(s.charAt(pos))) {
        if (pos - start < 9) {
          nanos = nanos * 10 + (s.charAt(pos) - '0');
        }
        pos++;
      }
      int fractionDigits = pos - start;
      if (fractionDigits == 0 || fractionDigits > 9) {
        return null;
      }
      for (int i = fractionDigits; i < 9; i++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (pos == length - 1 && s.charAt(pos) == 'Z') {
      offsetSeconds = 0;
    } else if (pos == length - 6
        && (s.charAt(pos) == '+' || s.charAt(pos) == '-')
        && s.charAt(pos + 3) == ':') {
      int offsetHours = digits(s, pos + 1, 2);
      int offsetMinutes = digits(s, pos + 4, 2);
      if ((offsetHours | offsetMinutes) < 0 || offsetMinutes > 59 || offsetHours > 18) {
        return null;
      }
      offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
      if (offsetSeconds > 18 * 3600) {
        return null;
      }
      if (s.charAt(pos) == '-') {
        offsetSeconds = -offsetSeconds;
      }
    } else {
      return null;
    }
    if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long epochSecond =
        epochDay * 86_400L + hour * 3600L + minute * 60L + second - (long) offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  private static int digits(String s, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}

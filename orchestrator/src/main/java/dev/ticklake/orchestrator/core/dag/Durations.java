package dev.ticklake.orchestrator.core.dag;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations written in DAG files: a whole number with a unit ({@code 500ms}, {@code 5s},
 * {@code 1m}, {@code 1h}, {@code 1d}) or ISO-8601 ({@code PT5S}, {@code P1D}). Negative durations
 * are rejected.
 */
public final class Durations {

  /** Shown in error messages. */
  public static final String FORMAT_HINT = "use e.g. 500ms, 5s, 1m, 1h, 1d or ISO-8601 PT5S";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

  private Durations() {}

  /** True if {@code text} looks like a duration (as opposed to a cron expression). */
  public static boolean looksLikeDuration(String text) {
    String t = text.trim();
    return SHORT.matcher(t).matches() || t.toUpperCase(Locale.ROOT).startsWith("P");
  }

  /** The duration, or empty when {@code text} is not one of the accepted forms or negative. */
  public static Optional<Duration> parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        return Optional.of(
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            });
      }
      Duration iso = Duration.parse(t.toUpperCase(Locale.ROOT));
      return iso.isNegative() ? Optional.empty() : Optional.of(iso);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}

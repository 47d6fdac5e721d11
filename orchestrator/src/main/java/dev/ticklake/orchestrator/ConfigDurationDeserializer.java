package dev.ticklake.orchestrator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads a configuration duration: Dropwizard's forms ({@code 100ms}, {@code 5s}, {@code 1 minute})
 * and, as the configuration always accepted, a non-negative ISO-8601 duration ({@code PT5S}).
 * Anything else fails the configuration with the key's name and the accepted forms.
 */
public final class ConfigDurationDeserializer extends StdScalarDeserializer<Duration> {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  public ConfigDurationDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    String text = parser.getValueAsString();
    if (text == null) {
      return (Duration) context.handleUnexpectedToken(Duration.class, parser);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      return (Duration) context.handleWeirdStringValue(Duration.class, text, e.getMessage());
    }
  }

  /** The duration of {@code text}; {@link IllegalArgumentException} when it is none. */
  public static Duration parse(String text) {
    String t = text.trim();
    try {
      return Duration.parse(t);
    } catch (IllegalArgumentException notDropwizard) {
      try {
        java.time.Duration iso = java.time.Duration.parse(t.toUpperCase(Locale.ROOT));
        if (!iso.isNegative()) {
          return exact(iso);
        }
      } catch (DateTimeParseException | ArithmeticException notIso) {
        // falls through to the error below
      }
      throw new IllegalArgumentException(
          "not a duration (e.g. 100ms, 10s, 1 minute, PT5S): " + text);
    }
  }

  /** The coarsest of seconds, milliseconds, nanoseconds that holds {@code iso} exactly. */
  private static Duration exact(java.time.Duration iso) {
    long nanos = iso.toNanos();
    if (nanos % NANOS_PER_SECOND == 0) {
      return Duration.seconds(nanos / NANOS_PER_SECOND);
    }
    if (nanos % NANOS_PER_MILLI == 0) {
      return Duration.milliseconds(nanos / NANOS_PER_MILLI);
    }
    return Duration.nanoseconds(nanos);
  }
}

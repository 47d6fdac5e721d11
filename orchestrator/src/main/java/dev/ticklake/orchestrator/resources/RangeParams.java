package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.serving.MarketData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The {@code from}/{@code to} query parameters of the row endpoints: ISO-8601 or epoch millis (as
 * Grafana's {@code ${__from}}), {@code to} defaulting to now and {@code from} to 24 hours before
 * {@code to}; checked against the read layer's maximum range. 400 otherwise.
 */
final class RangeParams {
  private RangeParams() {}

  /** A checked range. */
  record Range(Instant from, Instant to) {}

  static Range parse(String fromText, String toText, Clock clock, MarketData market) {
    Instant to = toText == null || toText.isBlank() ? clock.instant() : instant("to", toText);
    Instant from =
        fromText == null || fromText.isBlank()
            ? to.minus(Duration.ofDays(1))
            : instant("from", fromText);
    market.checkRange(from, to);
    return new Range(from, to);
  }

  static Instant instant(String name, String text) {
    String t = text.trim();
    if (t.matches("-?\\d{1,18}")) {
      return Instant.ofEpochMilli(Long.parseLong(t));
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiErrors.badRequest(
          name
              + " must be an ISO-8601 date-time such as 2026-11-20T14:30:00Z or epoch millis, got '"
              + text
              + "'");
    }
  }
}

package dev.ticklake.orchestrator.api;

import java.time.Instant;

/** Instants as the API writes them: ISO-8601 text ({@link Instant#toString()}), null stays null. */
final class Timestamps {
  private Timestamps() {}

  static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}

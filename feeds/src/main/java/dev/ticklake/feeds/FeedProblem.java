package dev.ticklake.feeds;

import java.util.Objects;

/**
 * Input a feed could not turn into an event and skipped, reported instead of dropped silently.
 *
 * @param severity {@link Severity#ERROR} for bad input (counted as an error), {@link
 *     Severity#SKIPPED} for gaps the source itself marks (e.g. Yahoo's null bars)
 * @param where where in the input, e.g. {@code line 7} or {@code 2024-01-02T14:32:00Z}
 * @param reason why, e.g. {@code high 10.0 is below low 11.0}
 */
public record FeedProblem(Severity severity, String where, String reason) {

  /** How a problem counts in the summary. */
  public enum Severity {
    ERROR,
    SKIPPED
  }

  public FeedProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(reason, "reason");
  }

  static FeedProblem error(String where, String reason) {
    return new FeedProblem(Severity.ERROR, where, reason);
  }

  static FeedProblem skipped(String where, String reason) {
    return new FeedProblem(Severity.SKIPPED, where, reason);
  }

  /** {@code line 7: high 10.0 is below low 11.0 (skipped)}. */
  public String message() {
    return where + ": " + reason + " (skipped)";
  }
}

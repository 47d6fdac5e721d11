package dev.ticklake.schemas.event;

import java.time.Duration;

/**
 * The bar lengths a bar event may carry in its {@code interval} field.
 *
 * <p>The wire spellings are exactly {@code 1min, 5min, 15min, 30min, 60min, 1d}; {@link
 * #fromString} accepts those and nothing else (no aliases, case-sensitive), so that one interval
 * has one spelling in every table.
 */
public enum BarInterval {
  ONE_MINUTE("1min", Duration.ofMinutes(1)),
  FIVE_MINUTES("5min", Duration.ofMinutes(5)),
  FIFTEEN_MINUTES("15min", Duration.ofMinutes(15)),
  THIRTY_MINUTES("30min", Duration.ofMinutes(30)),
  SIXTY_MINUTES("60min", Duration.ofMinutes(60)),
  ONE_DAY("1d", Duration.ofDays(1));

  /** The allowed spellings, comma separated, in declaration order (used in error messages). */
  static final String ALLOWED = "1min, 5min, 15min, 30min, 60min, 1d";

  private final String label;
  private final Duration duration;

  BarInterval(String label, Duration duration) {
    this.label = label;
    this.duration = duration;
  }

  /** The wire spelling, e.g. {@code "5min"}; also the value of the {@code interval} columns. */
  public String label() {
    return label;
  }

  /** The length of one bar. */
  public Duration duration() {
    return duration;
  }

  /**
   * Returns the interval spelled {@code label}.
   *
   * @throws IllegalArgumentException if {@code label} is not one of the allowed spellings; the
   *     message names the value and lists the allowed spellings
   */
  public static BarInterval fromString(String label) {
    BarInterval interval = lookup(label);
    if (interval == null) {
      throw new IllegalArgumentException(unknownMessage(label));
    }
    return interval;
  }

  /** Like {@link #fromString} but returns null instead of throwing (for the codec's hot path). */
  static BarInterval lookup(String label) {
    if (label == null) {
      return null;
    }
    return switch (label) {
      case "1min" -> ONE_MINUTE;
      case "5min" -> FIVE_MINUTES;
      case "15min" -> FIFTEEN_MINUTES;
      case "30min" -> THIRTY_MINUTES;
      case "60min" -> SIXTY_MINUTES;
      case "1d" -> ONE_DAY;
      default -> null;
    };
  }

  static String unknownMessage(String label) {
    return "unknown interval '" + label + "' (allowed: " + ALLOWED + ")";
  }
}

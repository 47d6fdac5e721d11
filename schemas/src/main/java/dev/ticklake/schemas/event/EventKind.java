package dev.ticklake.schemas.event;

/** Which of the two wire forms a {@link MarketEvent} came in (or will be written in). */
public enum EventKind {
  /** One trade print: a price and a volume; open, high, low and close all equal the price. */
  TRADE("trade"),
  /** One OHLCV bar of a fixed {@link BarInterval}, stamped with the bar's start. */
  BAR("bar");

  private final String label;

  EventKind(String label) {
    this.label = label;
  }

  /** The lower-case spelling stored in the {@code kind} column of {@code silver/ticks}. */
  public String label() {
    return label;
  }

  /**
   * Returns the kind spelled {@code label} ({@code "trade"} or {@code "bar"}).
   *
   * @throws IllegalArgumentException for any other value
   */
  public static EventKind fromLabel(String label) {
    for (EventKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown event kind '" + label + "' (allowed: trade, bar)");
  }
}

package dev.ticklake.transforms.gold;

import java.io.Serializable;
import java.util.List;

/**
 * Everything Gold derives from one symbol's Silver events of one UTC date: its one-minute bars, its
 * daily bar and its daily metrics.
 *
 * <p>One-minute bars are built from trades and {@code 1min} bar events, keyed by the minute their
 * {@code ts} falls in; minutes without such events have no bar (no forward fill). The daily bar
 * aggregates every event of the day, trades and bars of any interval, the same way (see {@link
 * OhlcvBar}). {@code avgPrice} is the arithmetic mean of the events' closes (a trade's price),
 * every event weighted equally, summed in event order; {@code totalVolume} is Σ volume of every
 * event, so it equals the daily bar's volume.
 *
 * <p>A day continued from a saved {@link DayFold} carries only the one-minute bars from {@code
 * minuteBarsFrom} on (the earlier ones did not change); a day aggregated from all of its events
 * carries every bar and {@code minuteBarsFrom} = {@link Long#MIN_VALUE}.
 *
 * @param symbol instrument symbol
 * @param tradeDate UTC date, days since the epoch
 * @param minuteBars the day's one-minute bars from {@code minuteBarsFrom} on, in bar-start order
 * @param minuteBarsFrom start (µs) of the first one-minute bar that {@code minuteBars} replaces
 * @param dailyBar the day's bar, starting at 00:00 UTC
 * @param avgPrice mean of the events' closes
 * @param totalVolume Σ volume of the day's events
 */
public record SymbolDay(
    String symbol,
    int tradeDate,
    List<OhlcvBar> minuteBars,
    long minuteBarsFrom,
    OhlcvBar dailyBar,
    double avgPrice,
    long totalVolume)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public SymbolDay {
    minuteBars = List.copyOf(minuteBars);
  }

  /**
   * Aggregates one symbol's events of one date; {@code events} must be non-empty and sorted in
   * {@link SilverEvent#EVENT_ORDER}. Linear in the number of events.
   */
  public static SymbolDay aggregate(String symbol, int tradeDate, List<SilverEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events for " + symbol + " on day " + tradeDate);
    }
    return DayFold.start(symbol, tradeDate).acceptAll(events).toSymbolDay();
  }

  /** Whether the one-minute bars are all of the day's (not only those from a resumed minute on). */
  public boolean hasAllMinuteBars() {
    return minuteBarsFrom == Long.MIN_VALUE;
  }
}

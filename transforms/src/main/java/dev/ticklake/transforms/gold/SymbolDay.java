package dev.ticklake.transforms.gold;

import java.io.Serializable;
import java.util.ArrayList;
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
 * @param symbol instrument symbol
 * @param tradeDate UTC date, days since the epoch
 * @param minuteBars the day's one-minute bars in bar-start order (may be empty)
 * @param dailyBar the day's bar, starting at 00:00 UTC
 * @param avgPrice mean of the events' closes
 * @param totalVolume Σ volume of the day's events
 */
public record SymbolDay(
    String symbol,
    int tradeDate,
    List<OhlcvBar> minuteBars,
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
    List<SilverEvent> minuteEvents = new ArrayList<>(events.size());
    double closeSum = 0.0;
    for (SilverEvent e : events) {
      closeSum += e.close();
      if (e.feed().feedsMinuteBars()) {
        minuteEvents.add(e);
      }
    }
    List<OhlcvBar> minuteBars = new ArrayList<>();
    int start = 0;
    while (start < minuteEvents.size()) {
      long minute = Math.floorDiv(minuteEvents.get(start).tsMicros(), OhlcvBar.MINUTE_MICROS);
      int end = start + 1;
      while (end < minuteEvents.size()
          && Math.floorDiv(minuteEvents.get(end).tsMicros(), OhlcvBar.MINUTE_MICROS) == minute) {
        end++;
      }
      minuteBars.add(
          OhlcvBar.aggregate(minuteEvents, start, end, minute * OhlcvBar.MINUTE_MICROS, tradeDate));
      start = end;
    }
    OhlcvBar daily =
        OhlcvBar.aggregate(events, 0, events.size(), tradeDate * OhlcvBar.DAY_MICROS, tradeDate);
    return new SymbolDay(
        symbol, tradeDate, minuteBars, daily, closeSum / events.size(), daily.volume());
  }
}

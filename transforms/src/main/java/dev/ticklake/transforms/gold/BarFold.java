package dev.ticklake.transforms.gold;

import java.io.Serializable;

/**
 * The running aggregate of one bar: events are folded in one at a time, in {@link
 * SilverEvent#EVENT_ORDER}, with exactly the arithmetic of the bar definitions in {@link OhlcvBar}
 * (the same operations in the same order). A fold restored from its stored sums and continued with
 * later events is therefore bit-identical to a fold of every event from the start.
 */
final class BarFold implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long barStartMicros;
  private final int tradeDate;
  private double open;
  private double high;
  private double low;
  private double close;
  private long volume;
  private double priceVolume;
  private long count;

  /** An empty bar. */
  BarFold(long barStartMicros, int tradeDate) {
    this.barStartMicros = barStartMicros;
    this.tradeDate = tradeDate;
  }

  /** A bar restored from its saved sums. */
  static BarFold restore(DayFold.BarSums sums, int tradeDate) {
    if (sums.count() < 1) {
      throw new IllegalArgumentException("saved bar sums without events: " + sums);
    }
    BarFold b = new BarFold(sums.barStartMicros(), tradeDate);
    b.open = sums.open();
    b.high = sums.high();
    b.low = sums.low();
    b.close = sums.close();
    b.volume = sums.volume();
    b.priceVolume = sums.priceVolume();
    b.count = sums.count();
    return b;
  }

  /** The sums to save. */
  DayFold.BarSums sums() {
    return new DayFold.BarSums(barStartMicros, open, high, low, close, volume, priceVolume, count);
  }

  void accept(SilverEvent e) {
    if (count == 0) {
      open = e.open();
      high = e.high();
      low = e.low();
    }
    high = Math.max(high, e.high());
    low = Math.min(low, e.low());
    volume += e.volume();
    priceVolume += e.vwapPrice() * e.volume();
    close = e.close();
    count++;
  }

  /** The bar; vwap = Σ(price·volume) / Σ volume, or the close when Σ volume is 0. */
  OhlcvBar toBar() {
    if (count == 0) {
      throw new IllegalStateException("no event folded into the bar at " + barStartMicros);
    }
    double vwap = volume == 0 ? close : priceVolume / volume;
    return new OhlcvBar(barStartMicros, tradeDate, open, high, low, close, volume, vwap, count);
  }

  long barStartMicros() {
    return barStartMicros;
  }
}

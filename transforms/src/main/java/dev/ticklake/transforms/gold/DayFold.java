package dev.ticklake.transforms.gold;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One symbol's UTC day folded event by event, in {@link SilverEvent#EVENT_ORDER}: its daily bar,
 * its one-minute bars (trades and {@code 1min} bars only), and the sums behind {@code
 * daily_metrics}. The fold can be saved as a {@link State} ({@code gold/bar_state}) and continued
 * later with events that sort after the last one folded; because every sum is a left fold in event
 * order, the continued fold is bit-identical to folding all of the day's events at once. An event
 * that sorts before the last one folded (a late event) cannot be folded in: the day must be folded
 * again from all of its events ({@link #canAppend}).
 */
public final class DayFold implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The running sums of one bar.
   *
   * @param barStartMicros start of the bar, µs since the epoch
   * @param open the first event's open
   * @param high highest high
   * @param low lowest low
   * @param close the last event's close
   * @param volume Σ volume
   * @param priceVolume Σ price·volume in event order
   * @param count number of events (≥ 1)
   */
  public record BarSums(
      long barStartMicros,
      double open,
      double high,
      double low,
      double close,
      long volume,
      double priceVolume,
      long count)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A saved fold: everything needed to continue it.
   *
   * @param symbol instrument symbol
   * @param tradeDate UTC date, days since the epoch
   * @param lastTsMicros ts of the last event folded in
   * @param lastSource source of that event
   * @param lastEventId event id of that event
   * @param closeSum Σ close of the day's events in event order
   * @param day the daily bar's sums (its {@code count} is the day's number of events)
   * @param lastMinute the sums of the day's last one-minute bar, null when no event fed one
   */
  public record State(
      String symbol,
      int tradeDate,
      long lastTsMicros,
      String lastSource,
      String lastEventId,
      double closeSum,
      BarSums day,
      BarSums lastMinute)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public State {
      Objects.requireNonNull(symbol);
      Objects.requireNonNull(lastSource);
      Objects.requireNonNull(lastEventId);
      Objects.requireNonNull(day);
    }

    /** {@code daily_metrics.avg_price}: the mean of the events' closes. */
    public double avgPrice() {
      return closeSum / day.count();
    }

    /** {@code daily_metrics.total_volume}. */
    public long totalVolume() {
      return day.volume();
    }
  }

  private final String symbol;
  private final int tradeDate;
  private final BarFold day;
  private final long minuteBarsFrom;
  private final List<OhlcvBar> finishedMinutes = new ArrayList<>();
  private BarFold minute;
  private double closeSum;
  private boolean hasLast;
  private long lastTs;
  private String lastSource;
  private String lastEventId;

  private DayFold(
      String symbol,
      int tradeDate,
      BarFold day,
      BarFold minute,
      double closeSum,
      long minuteBarsFrom) {
    this.symbol = symbol;
    this.tradeDate = tradeDate;
    this.day = day;
    this.minute = minute;
    this.closeSum = closeSum;
    this.minuteBarsFrom = minuteBarsFrom;
  }

  /** An empty day: the events folded in will be all of the day's events. */
  public static DayFold start(String symbol, int tradeDate) {
    return new DayFold(
        symbol,
        tradeDate,
        new BarFold(tradeDate * OhlcvBar.DAY_MICROS, tradeDate),
        null,
        0.0,
        Long.MIN_VALUE);
  }

  /**
   * Continues a saved fold. The resulting {@link SymbolDay} holds the one-minute bars from the
   * saved last minute on; the earlier ones are unchanged and stay where they are stored.
   */
  public static DayFold resume(State s) {
    BarFold minute = s.lastMinute() == null ? null : BarFold.restore(s.lastMinute(), s.tradeDate());
    DayFold f =
        new DayFold(
            s.symbol(),
            s.tradeDate(),
            BarFold.restore(s.day(), s.tradeDate()),
            minute,
            s.closeSum(),
            minute == null ? Long.MIN_VALUE : minute.barStartMicros());
    f.lastTs = s.lastTsMicros();
    f.lastSource = s.lastSource();
    f.lastEventId = s.lastEventId();
    f.hasLast = true;
    return f;
  }

  /** Whether {@code e} sorts after every event folded so far, so that it can be folded in. */
  public boolean canAppend(SilverEvent e) {
    if (!hasLast) {
      return true;
    }
    int c = Long.compare(e.tsMicros(), lastTs);
    if (c == 0) {
      c = e.source().compareTo(lastSource);
    }
    if (c == 0) {
      c = e.eventId().compareTo(lastEventId);
    }
    return c > 0;
  }

  /**
   * Folds in the next event of the day.
   *
   * @throws IllegalArgumentException when {@code e} is of another symbol or date, or does not sort
   *     after the last event folded in
   */
  public DayFold accept(SilverEvent e) {
    if (!symbol.equals(e.symbol()) || tradeDate != e.tradeDate()) {
      throw new IllegalArgumentException(
          "event of "
              + e.symbol()
              + " day "
              + e.tradeDate()
              + " folded into "
              + symbol
              + " day "
              + tradeDate);
    }
    if (!canAppend(e)) {
      throw new IllegalArgumentException(
          "event "
              + e.eventId()
              + " at "
              + e.tsMicros()
              + " does not sort after the last event "
              + lastEventId
              + " at "
              + lastTs
              + " of "
              + symbol
              + " day "
              + tradeDate);
    }
    closeSum += e.close();
    day.accept(e);
    if (e.feed().feedsMinuteBars()) {
      long start = Math.floorDiv(e.tsMicros(), OhlcvBar.MINUTE_MICROS) * OhlcvBar.MINUTE_MICROS;
      if (minute == null || minute.barStartMicros() != start) {
        if (minute != null) {
          finishedMinutes.add(minute.toBar());
        }
        minute = new BarFold(start, tradeDate);
      }
      minute.accept(e);
    }
    lastTs = e.tsMicros();
    lastSource = e.source();
    lastEventId = e.eventId();
    hasLast = true;
    return this;
  }

  /** Folds in events already sorted in {@link SilverEvent#EVENT_ORDER}. */
  public DayFold acceptAll(Iterable<SilverEvent> sorted) {
    sorted.forEach(this::accept);
    return this;
  }

  /** The fold to save. */
  public State state() {
    if (!hasLast) {
      throw new IllegalStateException("no event of " + symbol + " day " + tradeDate);
    }
    return new State(
        symbol,
        tradeDate,
        lastTs,
        lastSource,
        lastEventId,
        closeSum,
        day.sums(),
        minute == null ? null : minute.sums());
  }

  /**
   * The day's Gold aggregates: the daily bar and metrics over every event folded (saved and new),
   * and the one-minute bars from {@link SymbolDay#minuteBarsFrom()} on.
   */
  public SymbolDay toSymbolDay() {
    State s = state();
    List<OhlcvBar> bars = new ArrayList<>(finishedMinutes.size() + 1);
    bars.addAll(finishedMinutes);
    if (minute != null) {
      bars.add(minute.toBar());
    }
    return new SymbolDay(
        symbol, tradeDate, bars, minuteBarsFrom, day.toBar(), s.avgPrice(), s.totalVolume());
  }
}

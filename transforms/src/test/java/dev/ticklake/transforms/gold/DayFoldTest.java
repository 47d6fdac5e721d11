package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.transforms.gold.SilverEvent.Feed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A fold saved after any event and resumed with the rest gives bit-identical bars, sums and state
 * to one fold of all events; events that do not sort after the last one are refused.
 */
class DayFoldTest {
  private static final int DAY = 20_410; // 2025-11-18
  private static final long DAY_START = DAY * OhlcvBar.DAY_MICROS;

  @Test
  void resumingASavedFoldAtEveryPointEqualsOneFoldOfAllEvents() {
    List<SilverEvent> events = events(new Random(3), 300);
    DayFold whole = DayFold.start("AAPL", DAY).acceptAll(events);
    SymbolDay all = whole.toSymbolDay();
    assertThat(all.hasAllMinuteBars()).isTrue();

    for (int cut = 1; cut < events.size(); cut++) {
      DayFold.State saved = DayFold.start("AAPL", DAY).acceptAll(events.subList(0, cut)).state();
      DayFold resumed = DayFold.resume(saved).acceptAll(events.subList(cut, events.size()));
      SymbolDay day = resumed.toSymbolDay();
      assertThat(resumed.state()).as("state after cut %d", cut).isEqualTo(whole.state());
      assertThat(day.dailyBar()).isEqualTo(all.dailyBar());
      assertThat(day.avgPrice()).isEqualTo(all.avgPrice());
      assertThat(day.totalVolume()).isEqualTo(all.totalVolume());
      // The resumed day carries the bars from the saved last minute on, equal to the tail.
      List<OhlcvBar> tail =
          all.minuteBars().stream()
              .filter(b -> b.barStartMicros() >= day.minuteBarsFrom())
              .toList();
      assertThat(day.minuteBars()).as("bars after cut %d", cut).isEqualTo(tail);
    }
  }

  @Test
  void theFoldIsTheBarDefinitionComputedByHand() {
    long m0 = DAY_START + 14 * 3_600_000_000L;
    List<SilverEvent> events =
        List.of(
            trade(m0 + 1_000_000, 10.0, 100, "a", "e1"),
            trade(m0 + 1_000_000, 12.0, 50, "b", "e2"), // same ts: source orders
            new SilverEvent(
                "AAPL", m0 + 30_000_000, DAY, Feed.LONGER_BAR, 9, 13, 8, 11, 1000, "csv", "d"),
            trade(m0 + 61_000_000, 11.5, 0, "a", "e3"));
    SymbolDay day = DayFold.start("AAPL", DAY).acceptAll(events).toSymbolDay();
    assertThat(day.minuteBars())
        .containsExactly(
            new OhlcvBar(m0, DAY, 10.0, 12.0, 10.0, 12.0, 150, (10.0 * 100 + 12.0 * 50) / 150, 2),
            new OhlcvBar(m0 + 60_000_000, DAY, 11.5, 11.5, 11.5, 11.5, 0, 11.5, 1));
    double pv = 10.0 * 100 + 12.0 * 50 + (13.0 + 8.0 + 11.0) / 3.0 * 1000 + 11.5 * 0;
    assertThat(day.dailyBar())
        .isEqualTo(new OhlcvBar(DAY_START, DAY, 10.0, 13.0, 8.0, 11.5, 1150, pv / 1150, 4));
    assertThat(day.avgPrice()).isEqualTo((10.0 + 12.0 + 11.0 + 11.5) / 4);
    assertThat(day.totalVolume()).isEqualTo(1150);
  }

  @Test
  void eventsNotAfterTheLastOneAreRefused() {
    long t = DAY_START + 1_000_000;
    DayFold.State saved = DayFold.start("AAPL", DAY).accept(trade(t, 10, 1, "b", "e5")).state();
    DayFold fold = DayFold.resume(saved);
    assertThat(fold.canAppend(trade(t - 1, 10, 1, "z", "z"))).isFalse();
    assertThat(fold.canAppend(trade(t, 10, 1, "a", "z"))).isFalse();
    assertThat(fold.canAppend(trade(t, 10, 1, "b", "e5"))).as("the same event").isFalse();
    assertThat(fold.canAppend(trade(t, 10, 1, "b", "e6"))).isTrue();
    assertThat(fold.canAppend(trade(t + 1, 10, 1, "a", "a"))).isTrue();
    assertThatThrownBy(() -> fold.accept(trade(t - 1, 10, 1, "a", "late")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not sort after the last event e5");
    SilverEvent otherDay =
        new SilverEvent(
            "AAPL", t + OhlcvBar.DAY_MICROS, DAY + 1, Feed.TRADE, 1, 1, 1, 1, 1, "a", "x");
    assertThatThrownBy(() -> fold.accept(otherDay))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("folded into AAPL day " + DAY);
    assertThatThrownBy(() -> DayFold.start("AAPL", DAY).state())
        .isInstanceOf(IllegalStateException.class);
  }

  private static SilverEvent trade(long ts, double price, long volume, String source, String id) {
    return new SilverEvent(
        "AAPL", ts, DAY, Feed.TRADE, price, price, price, price, volume, source, id);
  }

  /** Trades, one-minute bars and longer bars over a few minutes, sorted in event order. */
  private static List<SilverEvent> events(Random random, int n) {
    List<SilverEvent> events = new ArrayList<>();
    long ts = DAY_START + 9 * 3_600_000_000L;
    double price = 100;
    for (int i = 0; i < n; i++) {
      ts += random.nextInt(4) == 0 ? 0 : random.nextInt(20_000_000);
      price = Math.max(1, price * Math.exp(random.nextGaussian() * 0.002));
      int kind = random.nextInt(20);
      Feed feed = kind == 0 ? Feed.MINUTE_BAR : kind == 1 ? Feed.LONGER_BAR : Feed.TRADE;
      double high = feed == Feed.TRADE ? price : price * 1.01;
      double low = feed == Feed.TRADE ? price : price * 0.99;
      events.add(
          new SilverEvent(
              "AAPL",
              ts,
              DAY,
              feed,
              price,
              high,
              low,
              price,
              random.nextInt(500),
              random.nextBoolean() ? "a" : "b",
              "e" + i));
    }
    events.sort(SilverEvent.EVENT_ORDER);
    return events;
  }
}

package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticHistoryTest {
  private static final LocalDate FROM = LocalDate.of(2006, 1, 1);
  private static final LocalDate TO = LocalDate.of(2025, 12, 31);

  private static SyntheticHistory daily(List<String> symbols, long seed) {
    return new SyntheticHistory(symbols, FROM, TO, BarInterval.ONE_DAY, seed, 100, 0.05, 0.25, 0);
  }

  private static List<MarketEvent> all(SyntheticHistory history) {
    List<MarketEvent> out = new ArrayList<>();
    history.events().forEachRemaining(out::add);
    return out;
  }

  @Test
  void twentyYearsOfDailyBarsOnWeekdaysInOrder() {
    SyntheticHistory history = daily(List.of("AAPL", "MSFT"), 7);
    List<MarketEvent> bars = all(history);

    List<LocalDate> weekdays = new ArrayList<>();
    for (LocalDate d = FROM; !d.isAfter(TO); d = d.plusDays(1)) {
      if (d.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue()) {
        weekdays.add(d);
      }
    }
    assertThat(weekdays).hasSize(5218);
    assertThat(bars).hasSize(2 * 5218);
    assertThat(history.size()).isEqualTo(bars.size());
    for (int i = 0; i < bars.size(); i++) {
      MarketEvent bar = bars.get(i);
      assertThat(bar.symbol()).isEqualTo(i % 2 == 0 ? "AAPL" : "MSFT");
      assertThat(bar.ts()).isEqualTo(weekdays.get(i / 2).atStartOfDay(ZoneOffset.UTC).toInstant());
      assertThat(bar.interval()).isEqualTo(BarInterval.ONE_DAY);
      assertThat(bar.source()).isEqualTo("synthetic");
      assertThat(bar.low()).isLessThanOrEqualTo(Math.min(bar.open(), bar.close()));
      assertThat(bar.high()).isGreaterThanOrEqualTo(Math.max(bar.open(), bar.close()));
      assertThat(bar.low()).isGreaterThan(0);
      assertThat(bar.volume()).isBetween(1_000L, 1_000_000L);
      assertThat(Math.round(bar.close() * 100) / 100.0).isEqualTo(bar.close());
    }
    // Each bar opens at the previous bar's close (of the same symbol), the first at the start.
    assertThat(bars.get(0).open()).isEqualTo(100.0);
    for (int i = 2; i < bars.size(); i++) {
      assertThat(bars.get(i).open()).isEqualTo(bars.get(i - 2).close());
    }
  }

  @Test
  void theSameSeedGivesTheSameBarsAndMoreSymbolsDoNotChangeTheFirst() {
    List<MarketEvent> one = all(daily(List.of("AAPL"), 42));
    List<MarketEvent> again = all(daily(List.of("AAPL"), 42));
    List<MarketEvent> two = all(daily(List.of("AAPL", "MSFT"), 42));
    List<MarketEvent> otherSeed = all(daily(List.of("AAPL"), 43));

    assertThat(again).isEqualTo(one);
    List<MarketEvent> firstOfTwo = new ArrayList<>();
    for (int i = 0; i < two.size(); i += 2) {
      firstOfTwo.add(two.get(i));
    }
    assertThat(firstOfTwo).isEqualTo(one);
    assertThat(otherSeed.get(1).close()).isNotEqualTo(one.get(1).close());
  }

  @Test
  void minuteBarsCoverTheRegularSessionInNewYork() {
    SyntheticHistory history =
        new SyntheticHistory(
            SyntheticHistory.numberedSymbols(3),
            LocalDate.of(2026, 3, 6), // a Friday, then a weekend, then the first EDT Monday
            LocalDate.of(2026, 3, 9),
            BarInterval.ONE_MINUTE,
            1,
            50,
            0,
            0.3,
            0);
    List<MarketEvent> bars = all(history);

    assertThat(bars).hasSize(2 * 390 * 3);
    assertThat(bars.get(0).symbol()).isEqualTo("S0001");
    assertThat(bars.get(2).symbol()).isEqualTo("S0003");
    assertThat(bars.get(0).ts()).isEqualTo(Instant.parse("2026-03-06T14:30:00Z"));
    assertThat(bars.get(389 * 3).ts()).isEqualTo(Instant.parse("2026-03-06T20:59:00Z"));
    assertThat(bars.get(390 * 3).ts()).isEqualTo(Instant.parse("2026-03-09T13:30:00Z"));
    assertThat(bars.get(bars.size() - 1).ts()).isEqualTo(Instant.parse("2026-03-09T19:59:00Z"));
    assertThat(bars).allMatch(b -> b.interval() == BarInterval.ONE_MINUTE && b.volume() >= 1);
  }

  @Test
  void asAFeedItIsTheSameEventsEncoded() {
    SyntheticHistory history = daily(List.of("AAPL"), 3);
    Iterator<FeedItem> items = history.open(p -> {});
    Iterator<MarketEvent> events = history.events();
    while (events.hasNext()) {
      assertThat(items.next()).isEqualTo(FeedItem.of(events.next()));
    }
    assertThat(items.hasNext()).isFalse();
  }

  @Test
  void badSettingsSayWhatIsAccepted() {
    assertThatThrownBy(() -> daily(List.of(), 1))
        .isInstanceOf(FeedException.class)
        .hasMessageContaining("at least one symbol");
    assertThatThrownBy(() -> daily(List.of("A", "A"), 1))
        .isInstanceOf(FeedException.class)
        .hasMessageContaining("each once");
    assertThatThrownBy(
            () ->
                new SyntheticHistory(
                    List.of("A"), TO, FROM, BarInterval.ONE_DAY, 1, 100, 0, 0.2, 0))
        .isInstanceOf(FeedException.class)
        .hasMessageContaining("before the first");
    assertThatThrownBy(
            () ->
                new SyntheticHistory(
                    List.of("A"), FROM, TO, BarInterval.FIVE_MINUTES, 1, 100, 0, 0.2, 0))
        .isInstanceOf(FeedException.class)
        .hasMessageContaining("interval must be 1d or 1min, got 5min");
    assertThatThrownBy(
            () ->
                new SyntheticHistory(List.of("A"), FROM, TO, BarInterval.ONE_DAY, 1, 0, 0, 0.2, 0))
        .isInstanceOf(FeedException.class)
        .hasMessageContaining("start price > 0");
    assertThatThrownBy(() -> SyntheticHistory.numberedSymbols(0)).isInstanceOf(FeedException.class);
  }
}

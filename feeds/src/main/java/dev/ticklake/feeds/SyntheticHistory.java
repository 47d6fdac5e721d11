package dev.ticklake.feeds;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Synthetic price history as bar events: daily bars for many symbols over years, or 1-minute bars
 * over months, for backfill tests and the {@code history} benchmark.
 *
 * <ul>
 *   <li><b>Trading days</b>: Monday to Friday from {@code from} to {@code to} inclusive (exchange
 *       holidays are not modelled).
 *   <li><b>Times</b>: a daily bar starts at 00:00 UTC of its date (as {@link CsvFeed} stamps
 *       dates); 1-minute bars cover the regular session 09:30–16:00 {@code America/New_York}, 390
 *       bars a day.
 *   <li><b>Order</b>: by bar start, then by symbol in the given order (as a live feed would send
 *       them). Events are generated lazily: memory does not grow with the span.
 *   <li><b>Prices</b>: per symbol a geometric Brownian motion ({@code drift}, {@code volatility}
 *       per trading year of 252 days, 390 minutes a day); each bar opens at the previous close (the
 *       first at the start price), high and low stretch beyond open and close by a random fraction
 *       of one step's volatility, all rounded to cents with {@code low <= open, close <= high}.
 *       Volumes are whole shares, 1,000–1,000,000 a day (a 390th of that a minute, at least 1).
 *   <li><b>Deterministic</b>: each symbol draws from its own {@link Random} seeded from the seed
 *       and the symbol's position, so the same settings give the same events on any JVM, and the
 *       first symbols' bars do not change when more symbols are added.
 * </ul>
 *
 * <p>Source {@code synthetic}, no event id (Silver derives a stable one). Immutable; every call of
 * {@link #events()} starts again from the beginning.
 */
public final class SyntheticHistory implements Feed {

  public static final String SOURCE = SyntheticFeed.SOURCE;
  public static final ZoneId SESSION_ZONE = ZoneId.of("America/New_York");
  public static final LocalTime SESSION_OPEN = LocalTime.of(9, 30);
  public static final int MINUTES_PER_SESSION = 390;

  private static final int TRADING_DAYS_PER_YEAR = 252;
  private static final long SYMBOL_SEED_MIX = 0x9E3779B97F4A7C15L;

  private final List<String> symbols;
  private final LocalDate from;
  private final LocalDate to;
  private final BarInterval interval;
  private final long seed;
  private final double startPrice;
  private final double drift;
  private final double volatility;
  private final double speed;

  /**
   * @param symbols the symbols, at least one, no duplicates
   * @param from the first calendar day (inclusive)
   * @param to the last calendar day (inclusive), not before {@code from}
   * @param interval {@link BarInterval#ONE_DAY} or {@link BarInterval#ONE_MINUTE}
   * @param seed the random seed
   * @param startPrice every symbol's first open, > 0
   * @param drift annual drift
   * @param volatility annual volatility, >= 0
   * @param speed replay speed-up of {@link #pacing()}; 0 = as fast as possible
   */
  public SyntheticHistory(
      List<String> symbols,
      LocalDate from,
      LocalDate to,
      BarInterval interval,
      long seed,
      double startPrice,
      double drift,
      double volatility,
      double speed) {
    if (symbols.isEmpty() || symbols.stream().distinct().count() != symbols.size()) {
      throw new FeedException("history: give at least one symbol, each once; got " + symbols);
    }
    if (to.isBefore(from)) {
      throw new FeedException("history: the last day " + to + " is before the first " + from);
    }
    if (interval != BarInterval.ONE_DAY && interval != BarInterval.ONE_MINUTE) {
      throw new FeedException(
          "history: interval must be 1d or 1min, got " + interval.label() + "; pick one of those");
    }
    if (!(startPrice > 0) || !(volatility >= 0) || !Double.isFinite(drift) || !(speed >= 0)) {
      throw new FeedException(
          String.format(
              "history: need start price > 0, volatility >= 0, a finite drift and speed >= 0;"
                  + " got %s, %s, %s, %s",
              startPrice, volatility, drift, speed));
    }
    this.symbols = List.copyOf(symbols);
    this.from = Objects.requireNonNull(from);
    this.to = to;
    this.interval = interval;
    this.seed = seed;
    this.startPrice = startPrice;
    this.drift = drift;
    this.volatility = volatility;
    this.speed = speed;
  }

  /** {@code count} symbols named {@code S0001, S0002, ...} (4 digits at least). */
  public static List<String> numberedSymbols(int count) {
    if (count < 1) {
      throw new FeedException("history: need at least one symbol, got " + count);
    }
    List<String> names = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      names.add(String.format("S%04d", i));
    }
    return names;
  }

  /** The trading days (Monday to Friday) from {@code from} to {@code to}, inclusive. */
  public static List<LocalDate> tradingDays(LocalDate from, LocalDate to) {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        days.add(d);
      }
    }
    return days;
  }

  /** How many events {@link #events()} yields. */
  public long size() {
    long perDay = interval == BarInterval.ONE_DAY ? 1 : MINUTES_PER_SESSION;
    return tradingDays(from, to).size() * perDay * symbols.size();
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Pacing pacing() {
    return Pacing.replay(speed);
  }

  @Override
  public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
    Iterator<MarketEvent> events = events();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return events.hasNext();
      }

      @Override
      public FeedItem next() {
        return FeedItem.of(events.next());
      }
    };
  }

  /** The bars, lazily, in the documented order. */
  public Iterator<MarketEvent> events() {
    return new Bars();
  }

  /** The generator's state: one random walk per symbol, advanced one bar start at a time. */
  private final class Bars implements Iterator<MarketEvent> {
    private final List<LocalDate> days = tradingDays(from, to);
    private final Random[] random = new Random[symbols.size()];
    private final double[] close = new double[symbols.size()];
    private final int barsPerDay = interval == BarInterval.ONE_DAY ? 1 : MINUTES_PER_SESSION;
    private final double dt = 1.0 / (TRADING_DAYS_PER_YEAR * (double) barsPerDay);
    private int day;
    private int bar;
    private int symbol;

    Bars() {
      for (int s = 0; s < random.length; s++) {
        random[s] = new Random(seed ^ (SYMBOL_SEED_MIX * (s + 1)));
        close[s] = startPrice;
      }
    }

    @Override
    public boolean hasNext() {
      return day < days.size();
    }

    @Override
    public MarketEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      MarketEvent event = bar(symbol, start(days.get(day), bar));
      if (++symbol == symbols.size()) {
        symbol = 0;
        if (++bar == barsPerDay) {
          bar = 0;
          day++;
        }
      }
      return event;
    }

    private Instant start(LocalDate date, int minute) {
      if (interval == BarInterval.ONE_DAY) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return date.atTime(SESSION_OPEN).plusMinutes(minute).atZone(SESSION_ZONE).toInstant();
    }

    private MarketEvent bar(int s, Instant start) {
      Random r = random[s];
      double step = volatility * Math.sqrt(dt);
      double open = cents(close[s]);
      double next =
          close[s] * Math.exp((drift - volatility * volatility / 2) * dt + step * r.nextGaussian());
      double closePrice = cents(next);
      double high = Math.max(open, closePrice) * (1 + step * Math.abs(r.nextGaussian()) / 2);
      double low = Math.min(open, closePrice) * (1 - step * Math.abs(r.nextGaussian()) / 2);
      long dailyVolume = 1_000 + (long) r.nextInt(999_001);
      long volume = Math.max(1, dailyVolume / barsPerDay);
      close[s] = next;
      return MarketEvent.bar(
          symbols.get(s),
          start,
          interval,
          open,
          Math.max(Math.ceil(high * 100) / 100, Math.max(open, closePrice)),
          Math.max(0.01, Math.min(Math.floor(low * 100) / 100, Math.min(open, closePrice))),
          closePrice,
          volume,
          SOURCE,
          null);
    }
  }

  /** Rounded to cents, never below one cent (prices stay positive). */
  private static double cents(double price) {
    return Math.max(0.01, Math.round(price * 100) / 100.0);
  }
}

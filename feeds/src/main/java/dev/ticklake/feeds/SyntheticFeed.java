package dev.ticklake.feeds;

import dev.ticklake.feeds.FeedItem.Kind;
import dev.ticklake.schemas.event.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trades from a geometric Brownian motion per symbol, optionally with injected faults.
 *
 * <p><b>Deterministic for a seed</b>: the same configuration (seed and start instant included)
 * gives the same items, byte for byte, in the same order, on any JVM ({@link Random} is specified
 * exactly). Symbols take turns (item 0 is the first symbol, item 1 the second, ...). Normal event
 * {@code k} has {@code ts = start + k / rate} (1 ms steps when the rate is 0), {@code source
 * "synthetic"} and {@code event_id "syn-<n>"}, where {@code n} is the 0-based position of the
 * record in the emitted stream. Prices follow {@code S *= exp((drift - vol²/2) dt + vol √dt Z)}
 * with {@code dt} in trading years (252 days of 6.5 hours) and are sent rounded to cents; volumes
 * are round lots (100–1,000), one trade in five an odd lot (1–99).
 *
 * <p><b>Faults</b>, each at its ratio per normal event, drawn from a second random stream of the
 * same seed (so enabling faults does not change the normal events' prices):
 *
 * <ul>
 *   <li>{@link Kind#DUPLICATE}: the exact bytes of the normal event just sent, again.
 *   <li>{@link Kind#OUT_OF_ORDER}: a normal event held back and sent after the next 1–5 normal
 *       events sent, so its ts is earlier than the previous record's (which is a normal event, its
 *       duplicate or another, newer, held-back event). It is a valid, unique event.
 *   <li>{@link Kind#MALFORMED}: either a truncated event (not JSON) or JSON without {@code price}.
 *   <li>{@link Kind#INVALID_PRICE}: a trade with price 0 or negative, timestamped half a step after
 *       the previous normal event (so its symbol and ts never collide with a normal event).
 * </ul>
 *
 * <p>The stream is unbounded unless a count is set; the count is the number of records emitted
 * (faults included; events still held back at the end are not emitted). Immutable; {@link #items()}
 * returns a new, independent iterator each time.
 */
public final class SyntheticFeed implements Feed {

  public static final String SOURCE = "synthetic";

  /** The default symbols and their start prices. */
  public static final Map<String, Double> DEFAULT_START_PRICES = defaultStartPrices();

  /** Start price of a symbol not in {@link #DEFAULT_START_PRICES}. */
  public static final double FALLBACK_START_PRICE = 100.0;

  private static final double TRADING_YEAR_SECONDS = 252 * 6.5 * 3600;
  private static final long FAULT_SEED_MIX = 0x9E3779B97F4A7C15L;

  private final List<String> symbols;
  private final double[] startPrices;
  private final double drift;
  private final double volatility;
  private final double rate;
  private final long count;
  private final long seed;
  private final Instant start;
  private final Faults faults;

  /**
   * Fault ratios per normal event, each in [0, 1].
   *
   * @param duplicate ratio of exact duplicates
   * @param outOfOrder ratio of events held back
   * @param malformed ratio of malformed records
   * @param invalidPrice ratio of non-positive prices
   */
  public record Faults(double duplicate, double outOfOrder, double malformed, double invalidPrice) {
    public static final Faults NONE = new Faults(0, 0, 0, 0);

    public Faults {
      requireRatio("duplicate", duplicate);
      requireRatio("out-of-order", outOfOrder);
      requireRatio("malformed", malformed);
      requireRatio("invalid-price", invalidPrice);
    }

    private static void requireRatio(String name, double ratio) {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException(name + " ratio must be in [0, 1], got " + ratio);
      }
    }
  }

  private SyntheticFeed(Builder b) {
    this.symbols = List.copyOf(b.symbols);
    this.startPrices = new double[symbols.size()];
    for (int i = 0; i < symbols.size(); i++) {
      startPrices[i] =
          b.startPrices.getOrDefault(
              symbols.get(i),
              DEFAULT_START_PRICES.getOrDefault(symbols.get(i), FALLBACK_START_PRICE));
    }
    this.drift = b.drift;
    this.volatility = b.volatility;
    this.rate = b.rate;
    this.count = b.count;
    this.seed = b.seed;
    this.start = b.start != null ? b.start : Instant.now().truncatedTo(ChronoUnit.MILLIS);
    this.faults = b.faults;
  }

  /** Defaults: the five default symbols, drift 0.05, volatility 0.25, rate 0, unbounded, seed 0. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
    return items();
  }

  @Override
  public Pacing pacing() {
    return Pacing.rate(rate);
  }

  /** The start instant (resolved to "now" at build time when not set). */
  public Instant start() {
    return start;
  }

  /** A new iterator over the whole stream. */
  public Iterator<FeedItem> items() {
    return new Generator();
  }

  /** Builds {@link SyntheticFeed}s; not thread-safe. */
  public static final class Builder {
    private List<String> symbols = List.copyOf(DEFAULT_START_PRICES.keySet());
    private final Map<String, Double> startPrices = new LinkedHashMap<>();
    private double drift = 0.05;
    private double volatility = 0.25;
    private double rate;
    private long count = -1;
    private long seed;
    private Instant start;
    private Faults faults = Faults.NONE;

    private Builder() {}

    public Builder symbols(List<String> newSymbols) {
      if (newSymbols.isEmpty() || newSymbols.stream().anyMatch(s -> s == null || s.isBlank())) {
        throw new IllegalArgumentException("symbols must be a non-empty list of names");
      }
      this.symbols = List.copyOf(newSymbols);
      return this;
    }

    public Builder startPrice(String symbol, double price) {
      if (!(price > 0)) {
        throw new IllegalArgumentException("start price of " + symbol + " must be > 0: " + price);
      }
      startPrices.put(Objects.requireNonNull(symbol), price);
      return this;
    }

    /** Annual drift (0.05 = +5% a year). */
    public Builder drift(double annualDrift) {
      this.drift = annualDrift;
      return this;
    }

    /** Annual volatility (0.25 = 25%). */
    public Builder volatility(double annualVolatility) {
      if (!(annualVolatility >= 0)) {
        throw new IllegalArgumentException("volatility must be >= 0: " + annualVolatility);
      }
      this.volatility = annualVolatility;
      return this;
    }

    /** Events per second, for pacing and timestamps; 0 = as fast as possible, 1 ms apart. */
    public Builder rate(double eventsPerSecond) {
      if (!(eventsPerSecond >= 0)) {
        throw new IllegalArgumentException("rate must be >= 0: " + eventsPerSecond);
      }
      this.rate = eventsPerSecond;
      return this;
    }

    /** Stop after this many records; negative = unbounded (the default). */
    public Builder count(long records) {
      this.count = records;
      return this;
    }

    public Builder seed(long newSeed) {
      this.seed = newSeed;
      return this;
    }

    /** Timestamp of the first event; default: now, truncated to milliseconds. */
    public Builder start(Instant firstTimestamp) {
      this.start = Objects.requireNonNull(firstTimestamp);
      return this;
    }

    public Builder faults(Faults newFaults) {
      this.faults = Objects.requireNonNull(newFaults);
      return this;
    }

    public SyntheticFeed build() {
      return new SyntheticFeed(this);
    }
  }

  /** The state of one pass over the stream. */
  private final class Generator implements Iterator<FeedItem> {
    private final Random prices = new Random(seed);
    private final Random faultRandom = new Random(seed ^ FAULT_SEED_MIX);
    private final double[] price = startPrices.clone();
    private final long stepNanos = rate > 0 ? Math.round(1e9 / rate) : 1_000_000L;
    private final double dtYears = symbols.size() * (stepNanos / 1e9) / TRADING_YEAR_SECONDS;
    private final ArrayDeque<FeedItem> ready = new ArrayDeque<>();
    private final List<Held> held = new ArrayList<>();
    private long generated;
    private long emitted;

    /** A normal event held back for {@code remaining} more normal events. */
    private static final class Held {
      final MarketEvent event;
      int remaining;

      Held(MarketEvent event, int remaining) {
        this.event = event;
        this.remaining = remaining;
      }
    }

    @Override
    public boolean hasNext() {
      return count < 0 || emitted < count;
    }

    @Override
    public FeedItem next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      while (ready.isEmpty()) {
        generate();
      }
      emitted++;
      return ready.poll();
    }

    /** The event_id of the next record queued (queue order is emission order). */
    private String nextId() {
      return "syn-" + (emitted + ready.size());
    }

    private void generate() {
      long k = generated++;
      int s = (int) (k % symbols.size());
      Instant ts = start.plusNanos(k * stepNanos);
      double z = prices.nextGaussian();
      price[s] *=
          Math.exp(
              (drift - volatility * volatility / 2) * dtYears
                  + volatility * Math.sqrt(dtYears) * z);
      long volume = lot(prices);
      // Always draw all four, so the fault stream does not depend on earlier outcomes.
      boolean duplicate = faultRandom.nextDouble() < faults.duplicate();
      boolean holdBack = faultRandom.nextDouble() < faults.outOfOrder();
      boolean malformed = faultRandom.nextDouble() < faults.malformed();
      boolean invalid = faultRandom.nextDouble() < faults.invalidPrice();

      if (holdBack) {
        held.add(new Held(trade(s, ts, price[s], volume, null), 1 + faultRandom.nextInt(5)));
      } else {
        FeedItem normal = FeedItem.of(trade(s, ts, price[s], volume, nextId()));
        ready.add(normal);
        if (duplicate) {
          ready.add(new FeedItem(Kind.DUPLICATE, normal.key(), normal.value(), normal.event()));
        }
        releaseHeld();
      }
      if (malformed) {
        ready.add(malformedItem(s, ts, volume));
      }
      if (invalid) {
        int bad = faultRandom.nextInt(symbols.size());
        double badPrice = faultRandom.nextBoolean() ? 0.0 : -cents(price[bad]);
        Instant between = ts.plusNanos(stepNanos / 2);
        ready.add(
            FeedItem.of(
                Kind.INVALID_PRICE,
                MarketEvent.trade(symbols.get(bad), between, badPrice, volume, SOURCE, nextId())));
      }
    }

    /**
     * Counts emitted normal events against the held ones and queues those due, newest first: each
     * then has an earlier ts than the record before it (a normal event sent after it was made, or a
     * newer held one).
     */
    private void releaseHeld() {
      List<Held> due = new ArrayList<>();
      for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
        Held h = it.next();
        if (--h.remaining == 0) {
          due.add(h);
          it.remove();
        }
      }
      for (int i = due.size() - 1; i >= 0; i--) {
        MarketEvent e = due.get(i).event;
        ready.add(
            FeedItem.of(
                Kind.OUT_OF_ORDER,
                MarketEvent.trade(e.symbol(), e.ts(), e.close(), e.volume(), SOURCE, nextId())));
      }
    }

    private MarketEvent trade(int s, Instant ts, double p, long volume, String id) {
      return MarketEvent.trade(symbols.get(s), ts, cents(p), volume, SOURCE, id);
    }

    private FeedItem malformedItem(int s, Instant ts, long volume) {
      String symbol = symbols.get(s);
      String json;
      if (faultRandom.nextBoolean()) {
        // Valid JSON, but no price: the codec says "missing field 'price'".
        json =
            "{\"symbol\":\""
                + symbol
                + "\",\"ts\":\""
                + ts
                + "\",\"volume\":"
                + volume
                + ",\"source\":\"synthetic\",\"event_id\":\""
                + nextId()
                + "\"}";
      } else {
        // A record cut off mid-way, as a broken producer would send it.
        String full =
            "{\"symbol\":\"" + symbol + "\",\"ts\":\"" + ts + "\",\"price\":" + cents(price[s]);
        json = full.substring(0, full.length() / 2);
      }
      return new FeedItem(
          Kind.MALFORMED,
          symbol.getBytes(StandardCharsets.UTF_8),
          json.getBytes(StandardCharsets.UTF_8),
          null);
    }
  }

  private static long lot(Random random) {
    if (random.nextInt(5) == 0) {
      return 1 + random.nextInt(99);
    }
    return 100L * (1 + random.nextInt(10));
  }

  static double cents(double price) {
    return Math.round(price * 100) / 100.0;
  }

  private static Map<String, Double> defaultStartPrices() {
    Map<String, Double> prices = new LinkedHashMap<>();
    prices.put("AAPL", 190.0);
    prices.put("GOOGL", 175.0);
    prices.put("MSFT", 410.0);
    prices.put("AMZN", 185.0);
    prices.put("TSLA", 250.0);
    return java.util.Collections.unmodifiableMap(prices);
  }
}

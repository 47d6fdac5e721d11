package dev.ticklake.schemas.event;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One market event from the Kafka topic {@code market.ticks}: a trade or an OHLCV bar, in the
 * single row shape that Silver stores.
 *
 * <p><b>Immutable</b> and {@link Serializable} (so it works with Beam's {@code SerializableCoder});
 * {@code equals} compares every component, doubles by {@link Double#compare}.
 *
 * <p><b>Validated here</b> (structure only, the things the wire format itself cannot express):
 * {@code symbol}, {@code ts} and {@code kind} are non-null; a bar has an {@code interval} and a
 * trade has none; a trade's open, high, low and close are the same value (its price); prices are
 * finite. <b>Not validated here</b>: business rules such as positive prices, the symbol pattern,
 * OHLC consistency or timestamps in the future. Those are the {@code silver/ticks} expectations in
 * {@code TableCatalog}, evaluated later so that failures are counted and quarantined.
 *
 * <p><b>Volume is a {@code long}</b>: exchanges report whole shares, and integer volumes sum
 * exactly in the Gold aggregates (VWAP, OBV, daily totals). Fractional quantities (crypto,
 * fractional shares) are out of scope; the codec rejects a fractional volume instead of silently
 * truncating it.
 *
 * <p><b>Event ids.</b> {@code eventId} is whatever the producer sent, or null. {@link
 * #deterministicId()} derives a stable id from the event's identity, and {@link
 * #effectiveEventId()} is the value Silver stores in {@code event_id}.
 *
 * @param symbol instrument symbol as sent (e.g. {@code "AAPL"}); not checked against the pattern
 * @param ts the trade time, or the bar's start, in UTC
 * @param kind trade or bar
 * @param interval the bar length; null exactly for trades
 * @param open first price of the bar (a trade's price)
 * @param high highest price of the bar (a trade's price)
 * @param low lowest price of the bar (a trade's price)
 * @param close last price of the bar (a trade's price)
 * @param volume shares traded
 * @param source the producer, e.g. {@code "synthetic"} or {@code "alphavantage"}; may be null
 * @param eventId the producer's id for this event; may be null
 */
public record MarketEvent(
    String symbol,
    Instant ts,
    EventKind kind,
    BarInterval interval,
    double open,
    double high,
    double low,
    double close,
    long volume,
    String source,
    String eventId)
    implements Serializable {

  /**
   * What Silver stores in its non-null {@code source} key column for an event without a source;
   * also what {@link #deterministicId()} uses for it.
   */
  public static final String NO_SOURCE = "";

  private static final int DETERMINISTIC_ID_BYTES = 16;

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required on every Java platform", e);
            }
          });

  /** Checks the structural invariants listed in the class documentation. */
  public MarketEvent {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(kind, "kind");
    if (kind == EventKind.BAR && interval == null) {
      throw new IllegalArgumentException("a bar needs an interval");
    }
    if (kind == EventKind.TRADE && interval != null) {
      throw new IllegalArgumentException("a trade has no interval, got " + interval.label());
    }
    requireFinite("open", open);
    requireFinite("high", high);
    requireFinite("low", low);
    requireFinite("close", close);
    if (kind == EventKind.TRADE
        && (Double.compare(open, close) != 0
            || Double.compare(high, close) != 0
            || Double.compare(low, close) != 0)) {
      throw new IllegalArgumentException(
          "a trade has one price: open, high, low and close must be equal, got "
              + open
              + ", "
              + high
              + ", "
              + low
              + ", "
              + close);
    }
  }

  /** A trade without source or producer id. */
  public static MarketEvent trade(String symbol, Instant ts, double price, long volume) {
    return trade(symbol, ts, price, volume, null, null);
  }

  /** A trade; {@code source} and {@code eventId} may be null. */
  public static MarketEvent trade(
      String symbol, Instant ts, double price, long volume, String source, String eventId) {
    return new MarketEvent(
        symbol, ts, EventKind.TRADE, null, price, price, price, price, volume, source, eventId);
  }

  /** A bar without source or producer id; {@code start} is the bar's start. */
  public static MarketEvent bar(
      String symbol,
      Instant start,
      BarInterval interval,
      double open,
      double high,
      double low,
      double close,
      long volume) {
    return bar(symbol, start, interval, open, high, low, close, volume, null, null);
  }

  /** A bar; {@code start} is the bar's start, {@code source} and {@code eventId} may be null. */
  public static MarketEvent bar(
      String symbol,
      Instant start,
      BarInterval interval,
      double open,
      double high,
      double low,
      double close,
      long volume,
      String source,
      String eventId) {
    return new MarketEvent(
        symbol, start, EventKind.BAR, interval, open, high, low, close, volume, source, eventId);
  }

  /**
   * A stable id for this event, derived from what identifies it and independent of the producer's
   * {@code eventId}, prices and volume (so a corrected re-send of the same bar gets the same id).
   *
   * <p>Definition (reproducible in any language): the first 16 bytes of the SHA-256 of the UTF-8
   * string {@code symbol|ts|kind|interval|source}, as 32 lower-case hex digits, where {@code ts} is
   * {@link Instant#toString()} (UTC, {@code Z}, 0/3/6/9 fraction digits, e.g. {@code
   * 2026-11-20T14:30:00.123Z}), {@code kind} is {@code trade} or {@code bar}, {@code interval} is
   * the wire spelling or empty for a trade, and {@code source} is {@link #NO_SOURCE} (empty) when
   * null. Example: {@code AAPL|2026-11-20T14:30:00Z|bar|1min|synthetic}. Only a symbol containing
   * {@code |} could make two identities collide, and such a symbol fails the {@code valid_symbol}
   * expectation.
   */
  public String deterministicId() {
    String identity =
        symbol
            + '|'
            + ts
            + '|'
            + kind.label()
            + '|'
            + (interval == null ? "" : interval.label())
            + '|'
            + (source == null ? NO_SOURCE : source);
    MessageDigest sha256 = SHA_256.get();
    byte[] digest = sha256.digest(identity.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, DETERMINISTIC_ID_BYTES);
  }

  /** The producer's {@code eventId} if present, else {@link #deterministicId()}. */
  public String effectiveEventId() {
    return eventId != null ? eventId : deterministicId();
  }

  private static void requireFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number, got " + value);
    }
  }
}

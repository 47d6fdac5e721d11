package dev.ticklake.schemas.event;

import java.time.Instant;

/**
 * The fields of one market event as a parse collects them, and the one rule for which fields make
 * which event: shared by both parse paths of {@link MarketEventCodec#parse} (Jackson's, and the
 * hand-written {@link CompactEventScanner}), so that they cannot disagree on it. Confined to the
 * parsing thread.
 */
abstract class EventFields {
  // One bit per known field: which fields were given (non-null), and which were given as null.
  static final int SYMBOL = 1;
  static final int TS = 1 << 1;
  static final int PRICE = 1 << 2;
  static final int INTERVAL = 1 << 3;
  static final int OPEN = 1 << 4;
  static final int HIGH = 1 << 5;
  static final int LOW = 1 << 6;
  static final int CLOSE = 1 << 7;
  static final int VOLUME = 1 << 8;
  static final int SOURCE = 1 << 9;
  static final int EVENT_ID = 1 << 10;

  int present;
  int givenAsNull;
  String symbol;
  Instant ts;
  BarInterval interval;
  double price;
  double open;
  double high;
  double low;
  double close;
  long volume;
  String source;
  String eventId;

  /**
   * The trade (with {@code price}) or bar (with {@code interval, open, high, low, close}) the
   * fields make.
   *
   * @throws MalformedEventException naming the first field missing, null or of the other form
   */
  final MarketEvent toEvent() throws MalformedEventException {
    require(SYMBOL, "symbol");
    require(TS, "ts");
    String barField = firstPresent();
    if ((present & PRICE) != 0) {
      if (barField != null) {
        throw new MalformedEventException("both 'price' and '" + barField + "' present");
      }
      require(VOLUME, "volume");
      return MarketEvent.trade(symbol, ts, price, volume, source, eventId);
    }
    if (barField == null) {
      require(PRICE, "price");
    }
    require(INTERVAL, "interval");
    require(OPEN, "open");
    require(HIGH, "high");
    require(LOW, "low");
    require(CLOSE, "close");
    require(VOLUME, "volume");
    return MarketEvent.bar(symbol, ts, interval, open, high, low, close, volume, source, eventId);
  }

  /** The first bar-only field present, in the order a reader would look for them. */
  private String firstPresent() {
    if ((present & OPEN) != 0) {
      return "open";
    } else if ((present & HIGH) != 0) {
      return "high";
    } else if ((present & LOW) != 0) {
      return "low";
    } else if ((present & CLOSE) != 0) {
      return "close";
    } else if ((present & INTERVAL) != 0) {
      return "interval";
    }
    return null;
  }

  private void require(int field, String name) throws MalformedEventException {
    if ((present & field) == 0) {
      throw new MalformedEventException(
          (givenAsNull & field) != 0
              ? "field '" + name + "' is null"
              : "missing field '" + name + "'");
    }
  }
}

package dev.ticklake.feeds;

import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.schemas.event.MarketEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record a feed emits: key (the symbol, UTF-8), value (the JSON event, or deliberately
 * broken bytes), what kind of record it is, and the event it encodes.
 *
 * <p>Immutable (the arrays are copied in and out). {@code equals} compares the bytes.
 *
 * @param kind normal, or which fault the synthetic feed injected
 * @param key the symbol as UTF-8
 * @param value the record value
 * @param event the event {@code value} encodes; null exactly for {@link Kind#MALFORMED}
 */
public record FeedItem(Kind kind, byte[] key, byte[] value, MarketEvent event) {

  /** What a record is, so that tests of later layers can compute exact expectations. */
  public enum Kind {
    /** A valid event, sent once. */
    NORMAL,
    /** The exact bytes of the preceding normal event, sent again. */
    DUPLICATE,
    /** A valid event sent after events with later timestamps. */
    OUT_OF_ORDER,
    /** Not a valid event: not JSON, or JSON without a required field. */
    MALFORMED,
    /** Well-formed JSON whose price is zero or negative. */
    INVALID_PRICE
  }

  public FeedItem {
    Objects.requireNonNull(kind, "kind");
    key = Objects.requireNonNull(key, "key").clone();
    value = Objects.requireNonNull(value, "value").clone();
    if ((event == null) != (kind == Kind.MALFORMED)) {
      throw new IllegalArgumentException("an event is required exactly for non-malformed items");
    }
  }

  /** A normal item: key = symbol, value = {@link MarketEventCodec#toJson}. */
  public static FeedItem of(MarketEvent event) {
    return of(Kind.NORMAL, event);
  }

  static FeedItem of(Kind kind, MarketEvent event) {
    return new FeedItem(
        kind,
        event.symbol().getBytes(StandardCharsets.UTF_8),
        MarketEventCodec.toJson(event),
        event);
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value as a UTF-8 string (for tests and messages). */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** The key as a string. */
  public String keyAsString() {
    return new String(key, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeedItem other
        && kind == other.kind
        && Arrays.equals(key, other.key)
        && Arrays.equals(value, other.value)
        && Objects.equals(event, other.event);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, Arrays.hashCode(key), Arrays.hashCode(value), event);
  }

  @Override
  public String toString() {
    return kind + " " + keyAsString() + " " + valueAsString();
  }
}

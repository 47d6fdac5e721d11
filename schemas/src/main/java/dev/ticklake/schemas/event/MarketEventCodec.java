package dev.ticklake.schemas.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON value of a {@code market.ticks} Kafka record (the contract in {@code
 * contracts/market-event.schema.json}).
 *
 * <p><b>Thread-safe and stateless</b>: static methods over one shared, immutable {@link
 * JsonFactory}; nothing needs to be serialized into a Beam {@code DoFn}. Parsing streams tokens
 * with Jackson's {@link JsonParser} (no tree, no data binding); the plain shape producers write is
 * read by hand first ({@link CompactEventScanner}), with the same result.
 *
 * <p><b>What {@link #parse} checks</b>: that the payload is one JSON object with the fields of
 * exactly one form (trade: {@code price}; bar: {@code interval, open, high, low, close}), each of
 * the documented JSON type: strings for {@code symbol, interval, source, event_id}, numbers for
 * prices, integers (an integral value, e.g. {@code 300} or {@code 300.0}) for {@code volume}, and
 * for {@code ts} an ISO-8601 date-time with offset or integer epoch milliseconds. A JSON {@code
 * null} counts as an absent field. Unknown fields are skipped; a field given twice is an error. The
 * form is decided by presence: {@code price} makes a trade, any of {@code interval, open, high,
 * low, close} a bar, both is an error, and with neither the event is read as a trade (so the
 * message is {@code missing field 'price'}). <b>Not checked</b>: business rules (symbol pattern,
 * positive prices, OHLC consistency, timestamps in the future); see the {@code silver/ticks}
 * expectations.
 *
 * <p><b>What {@link #toJson} writes</b>: compact UTF-8 JSON with the documented field names, in
 * documented order, trades in trade form ({@code price}), {@code ts} as an ISO-8601 UTC string
 * (lossless, unlike epoch milliseconds); null {@code source}/{@code event_id} are omitted. For
 * every event, {@code parse(toJson(e)).equals(e)}.
 */
public final class MarketEventCodec {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private static final Pattern SOURCE_NAME = Pattern.compile("\\[Source: [^;\\]]*; ");

  private MarketEventCodec() {}

  /**
   * Encodes {@code event} as compact UTF-8 JSON in its documented form.
   *
   * @throws NullPointerException if {@code event} is null
   */
  public static byte[] toJson(MarketEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(192);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("symbol", event.symbol());
      json.writeStringField("ts", event.ts().toString());
      if (event.kind() == EventKind.TRADE) {
        json.writeNumberField("price", event.close());
      } else {
        json.writeStringField("interval", event.interval().label());
        json.writeNumberField("open", event.open());
        json.writeNumberField("high", event.high());
        json.writeNumberField("low", event.low());
        json.writeNumberField("close", event.close());
      }
      json.writeNumberField("volume", event.volume());
      if (event.source() != null) {
        json.writeStringField("source", event.source());
      }
      if (event.eventId() != null) {
        json.writeStringField("event_id", event.eventId());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one market event from its UTF-8 JSON value.
   *
   * @throws MalformedEventException if the payload is null, empty, not JSON, not one object, or
   *     lacks or mistypes a field; the message says exactly what is wrong
   */
  public static MarketEvent parse(byte[] utf8Json) throws MalformedEventException {
    MarketEvent plain = utf8Json == null ? null : CompactEventScanner.scanOrNull(utf8Json);
    return plain != null ? plain : parseWithJackson(utf8Json);
  }

  /** {@link #parse} without the hand-written path: the definition that path must agree with. */
  static MarketEvent parseWithJackson(byte[] utf8Json) throws MalformedEventException {
    if (utf8Json == null || utf8Json.length == 0) {
      throw new MalformedEventException("empty payload");
    }
    try (JsonParser parser = JSON.createParser(utf8Json)) {
      return new JsonEventReader(parser).read();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
      throw new MalformedEventException(
          "not valid JSON" + where + ": " + withoutSourceName(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
  }

  /** Drops Jackson's placeholder for the input name ("[Source: REDACTED (...); line: 1, ..."). */
  private static String withoutSourceName(String message) {
    return message == null ? "" : SOURCE_NAME.matcher(message).replaceAll("[");
  }
}

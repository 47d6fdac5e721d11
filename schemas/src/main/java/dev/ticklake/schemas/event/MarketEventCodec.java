package dev.ticklake.schemas.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
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

  private static final int MAX_QUOTED_LENGTH = 64;
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
      return new Reader(parser).read();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
      throw new MalformedEventException(
          "not valid JSON" + where + ": " + withoutSourceName(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
  }

  /** The state of one parse; confined to the calling thread. */
  private static final class Reader extends EventFields {
    private final JsonParser parser;

    Reader(JsonParser parser) {
      this.parser = parser;
    }

    MarketEvent read() throws IOException, MalformedEventException {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new MalformedEventException("empty payload (whitespace only)");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedEventException("not a JSON object: found " + describe(first));
      }
      String name;
      while ((name = parser.nextFieldName()) != null) {
        JsonToken value = parser.nextToken();
        switch (name) {
          case "symbol" -> symbol = readString(SYMBOL, name, value);
          case "ts" -> ts = readTs(value);
          case "price" -> price = readNumber(PRICE, name, value);
          case "interval" -> interval = readInterval(value);
          case "open" -> open = readNumber(OPEN, name, value);
          case "high" -> high = readNumber(HIGH, name, value);
          case "low" -> low = readNumber(LOW, name, value);
          case "close" -> close = readNumber(CLOSE, name, value);
          case "volume" -> volume = readInteger(VOLUME, name, value);
          case "source" -> source = readString(SOURCE, name, value);
          case "event_id" -> eventId = readString(EVENT_ID, name, value);
          default -> parser.skipChildren();
        }
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new MalformedEventException(
            "not valid JSON at line "
                + at.getLineNr()
                + " column "
                + at.getColumnNr()
                + ": content after the end of the object");
      }
      return toEvent();
    }

    /** Records that {@code field} was seen; returns false if its value is JSON null. */
    private boolean mark(int field, String name, JsonToken value) throws MalformedEventException {
      if (((present | givenAsNull) & field) != 0) {
        throw new MalformedEventException("duplicate field '" + name + "'");
      }
      if (value == JsonToken.VALUE_NULL) {
        givenAsNull |= field;
        return false;
      }
      present |= field;
      return true;
    }

    private String readString(int field, String name, JsonToken value)
        throws IOException, MalformedEventException {
      if (!mark(field, name, value)) {
        return null;
      }
      if (value != JsonToken.VALUE_STRING) {
        throw wrongType(name, "a string", value);
      }
      return parser.getText();
    }

    private double readNumber(int field, String name, JsonToken value)
        throws IOException, MalformedEventException {
      if (!mark(field, name, value)) {
        return 0;
      }
      if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
        throw wrongType(name, "a number", value);
      }
      double number = parser.getDoubleValue();
      if (!Double.isFinite(number)) {
        throw new MalformedEventException(
            "field '" + name + "' is out of range: " + parser.getText());
      }
      return number;
    }

    private long readInteger(int field, String name, JsonToken value)
        throws IOException, MalformedEventException {
      if (!mark(field, name, value)) {
        return 0;
      }
      return integralValue(name, value, "an integer");
    }

    /** An integral JSON number as a long; {@code 300.0} is accepted, {@code 300.5} is not. */
    private long integralValue(String name, JsonToken value, String expected)
        throws IOException, MalformedEventException {
      if (value == JsonToken.VALUE_NUMBER_INT
          && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return parser.getLongValue();
      }
      if (value == JsonToken.VALUE_NUMBER_FLOAT) {
        double number = parser.getDoubleValue();
        if (number != Math.rint(number)) {
          throw wrongType(name, expected, value);
        }
        // 2^63 is exact as a double; every integral double below it converts to long exactly.
        if (Math.abs(number) < 0x1p63) {
          return (long) number;
        }
      }
      if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
        throw new MalformedEventException(
            "field '" + name + "' is out of the 64-bit range: " + parser.getText());
      }
      throw wrongType(name, expected, value);
    }

    private Instant readTs(JsonToken value) throws IOException, MalformedEventException {
      if (!mark(TS, "ts", value)) {
        return null;
      }
      if (value == JsonToken.VALUE_STRING) {
        String text = parser.getText();
        Instant instant = IsoInstants.parseOrNull(text);
        if (instant == null) {
          throw new MalformedEventException(
              "field 'ts' is not an ISO-8601 instant: " + quote(text));
        }
        return instant;
      }
      if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
        return Instant.ofEpochMilli(integralValue("ts", value, "integer epoch milliseconds"));
      }
      throw wrongType("ts", "an ISO-8601 instant string or integer epoch milliseconds", value);
    }

    private BarInterval readInterval(JsonToken value) throws IOException, MalformedEventException {
      String label = readString(INTERVAL, "interval", value);
      if (label == null) {
        return null;
      }
      BarInterval known = BarInterval.lookup(label);
      if (known == null) {
        throw new MalformedEventException(BarInterval.unknownMessage(label));
      }
      return known;
    }

    private MalformedEventException wrongType(String name, String expected, JsonToken value)
        throws IOException {
      String actual =
          value == JsonToken.VALUE_STRING
              ? quote(parser.getText())
              : value.isScalarValue() ? parser.getText() : describe(value);
      return new MalformedEventException("field '" + name + "' is not " + expected + ": " + actual);
    }
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }

  /** Drops Jackson's placeholder for the input name ("[Source: REDACTED (...); line: 1, ..."). */
  private static String withoutSourceName(String message) {
    return message == null ? "" : SOURCE_NAME.matcher(message).replaceAll("[");
  }

  /** Quotes a value for a message, shortened so that one huge field cannot flood the log. */
  private static String quote(String text) {
    if (text.length() > MAX_QUOTED_LENGTH) {
      return "'" + text.substring(0, MAX_QUOTED_LENGTH) + "...' (" + text.length() + " chars)";
    }
    return "'" + text + "'";
  }
}

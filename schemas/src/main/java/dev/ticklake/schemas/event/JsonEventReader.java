package dev.ticklake.schemas.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;

/**
 * The Jackson path of {@link MarketEventCodec#parse}: reads one event from a token stream into
 * {@link EventFields}, with the messages that codec documents. The state of one parse; confined to
 * the calling thread.
 */
final class JsonEventReader extends EventFields {
  private static final int MAX_QUOTED_LENGTH = 64;

  private final JsonParser parser;

  JsonEventReader(JsonParser parser) {
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
        throw new MalformedEventException("field 'ts' is not an ISO-8601 instant: " + quote(text));
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

  /** Quotes a value for a message, shortened so that one huge field cannot flood the log. */
  private static String quote(String text) {
    if (text.length() > MAX_QUOTED_LENGTH) {
      return "'" + text.substring(0, MAX_QUOTED_LENGTH) + "...' (" + text.length() + " chars)";
    }
    return "'" + text + "'";
  }
}

package dev.ticklake.schemas.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The hand-written path of {@link MarketEventCodec#parse}: reads the plain shape producers write (a
 * JSON object of known fields with ASCII strings without escapes, plain decimal numbers and no
 * nulls, in any order, with any JSON whitespace) straight from the bytes, and returns null for
 * anything else, which then goes to the Jackson path that decides it and words any error.
 *
 * <p>Why: creating a Jackson parser per Kafka value (its context, buffers and their recycling) cost
 * more than reading the value, about a third of Silver's validation step, and allocated some 700
 * bytes per event.
 *
 * <p>The contract, checked by {@code CompactEventScannerTest} on generated and mutated payloads:
 * when this returns an event, the Jackson path returns an equal one; null means "not decided here",
 * never "invalid". Numbers: a double is {@code mantissa / 10^scale} with a mantissa of at most 2^53
 * and a scale of at most 22, which IEEE division rounds exactly as a correctly rounded parser does
 * (both operands are exact doubles); anything longer, or with an exponent, is left to Jackson.
 * Stateless apart from a cache of symbol and source strings; thread-safe.
 */
final class CompactEventScanner extends EventFields {
  private static final long MAX_EXACT_MANTISSA = 1L << 53;
  private static final int MAX_MANTISSA_DIGITS = 18;
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  /**
   * Recently read symbols and sources, by a hash of their bytes. A feed repeats a few of them
   * millions of times; one shared instance per value saves the copy, and its hash code is then
   * computed once for every later lookup. Races only cost a miss (strings are immutable).
   */
  private static final String[] CANONICAL = new String[1024];

  /** Where a number or string ended; -1 when it did not fit the plain shape. */
  private int pos;

  /** The last number read by {@link #plainNumber}. */
  private boolean negative;

  private long mantissa;
  private int scale;

  private CompactEventScanner() {}

  /** The event, or null if the payload is not of the plain shape (then Jackson decides). */
  static MarketEvent scanOrNull(byte[] json) {
    return new CompactEventScanner().scan(json);
  }

  private MarketEvent scan(byte[] b) {
    int n = b.length;
    int p = skipWhitespace(b, 0);
    if (p >= n || b[p] != '{') {
      return null;
    }
    p = skipWhitespace(b, p + 1);
    while (true) {
      if (p >= n || b[p] != '"') {
        return null;
      }
      int nameEnd = endOfPlainString(b, p + 1);
      if (nameEnd < 0) {
        return null;
      }
      int field = fieldOf(b, p + 1, nameEnd - p - 1);
      if (field == 0 || (present & field) != 0) {
        return null;
      }
      p = skipWhitespace(b, nameEnd + 1);
      if (p >= n || b[p] != ':') {
        return null;
      }
      p = skipWhitespace(b, p + 1);
      if (p >= n || !readValue(field, b, p)) {
        return null;
      }
      present |= field;
      p = skipWhitespace(b, pos);
      if (p >= n) {
        return null;
      }
      if (b[p] == ',') {
        p = skipWhitespace(b, p + 1);
      } else if (b[p] == '}') {
        break;
      } else {
        return null;
      }
    }
    if (skipWhitespace(b, p + 1) != n) {
      return null;
    }
    return toEventOrNull();
  }

  /** Reads the value of {@code field} at {@code p} (not past the end); sets {@link #pos}. */
  private boolean readValue(int field, byte[] b, int p) {
    switch (field) {
      case SYMBOL -> symbol = canonicalString(b, p);
      case SOURCE -> source = canonicalString(b, p);
      case EVENT_ID -> eventId = string(b, p);
      case INTERVAL -> {
        String label = string(b, p);
        interval = label == null ? null : BarInterval.lookup(label);
        return interval != null;
      }
      case TS -> {
        if (b[p] == '"') {
          String text = string(b, p);
          ts = text == null ? null : IsoInstants.parseOrNull(text);
          return ts != null;
        }
        long millis = integer(b, p);
        if (pos < 0) {
          return false;
        }
        ts = Instant.ofEpochMilli(millis);
        return true;
      }
      case VOLUME -> {
        volume = integer(b, p);
        return pos >= 0;
      }
      case PRICE -> price = decimal(b, p);
      case OPEN -> open = decimal(b, p);
      case HIGH -> high = decimal(b, p);
      case LOW -> low = decimal(b, p);
      case CLOSE -> close = decimal(b, p);
      default -> {
        return false;
      }
    }
    return pos >= 0;
  }

  /**
   * The event the fields make, or null if they do not make one (the Jackson path then words the
   * error; plain payloads that lack a field are rare, so the exception's cost does not matter).
   */
  private MarketEvent toEventOrNull() {
    try {
      return toEvent();
    } catch (MalformedEventException e) {
      return null;
    }
  }

  private static int fieldOf(byte[] b, int start, int length) {
    return switch (length) {
      case 2 -> is(b, start, "ts") ? TS : 0;
      case 3 -> is(b, start, "low") ? LOW : 0;
      case 4 -> is(b, start, "open") ? OPEN : is(b, start, "high") ? HIGH : 0;
      case 5 -> is(b, start, "price") ? PRICE : is(b, start, "close") ? CLOSE : 0;
      case 6 ->
          is(b, start, "symbol")
              ? SYMBOL
              : is(b, start, "volume") ? VOLUME : is(b, start, "source") ? SOURCE : 0;
      case 8 -> is(b, start, "interval") ? INTERVAL : is(b, start, "event_id") ? EVENT_ID : 0;
      default -> 0;
    };
  }

  private static boolean is(byte[] b, int start, String name) {
    for (int i = 0; i < name.length(); i++) {
      if (b[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int skipWhitespace(byte[] b, int p) {
    while (p < b.length && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
      p++;
    }
    return p;
  }

  /**
   * The index of the closing quote of the string whose first character is at {@code p}, or -1 if
   * the string has an escape, a control or non-ASCII character, or no end.
   */
  private static int endOfPlainString(byte[] b, int p) {
    for (int i = p; i < b.length; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c < 0x20 || c == '\\' || c == 0x7f) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * The index of the closing quote of the plain string whose opening quote is at {@code p}, with
   * {@link #pos} after it; -1 (and pos -1) if there is no plain string there.
   */
  private int plainStringAt(byte[] b, int p) {
    int end = b[p] == '"' ? endOfPlainString(b, p + 1) : -1;
    pos = end < 0 ? -1 : end + 1;
    return end;
  }

  /** The plain string whose opening quote is at {@code p}, or null (and pos -1). */
  private String string(byte[] b, int p) {
    int end = plainStringAt(b, p);
    return end < 0 ? null : new String(b, p + 1, end - p - 1, StandardCharsets.ISO_8859_1);
  }

  /** {@link #string}, shared with earlier reads of the same bytes. */
  private String canonicalString(byte[] b, int p) {
    int end = plainStringAt(b, p);
    if (end < 0) {
      return null;
    }
    int start = p + 1;
    int length = end - start;
    int hash = length;
    for (int i = start; i < end; i++) {
      hash = 31 * hash + b[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (CANONICAL.length - 1);
    String cached = CANONICAL[slot];
    if (cached != null && cached.length() == length && is(b, start, cached)) {
      return cached;
    }
    String s = new String(b, start, length, StandardCharsets.ISO_8859_1);
    CANONICAL[slot] = s;
    return s;
  }

  /**
   * Reads a JSON number without exponent at {@code p}: {@code -?(0|[1-9][0-9]*)}, then, if {@code
   * fraction}, an optional {@code \.[0-9]+}; at most 18 digits in all. Sets {@link #negative},
   * {@link #mantissa} (the digits as one integer), {@link #scale} (digits after the point) and
   * {@link #pos}; false (and pos -1) if the number is longer, has an exponent or a fraction where
   * none is allowed, or is not JSON.
   */
  private boolean plainNumber(byte[] b, int p, boolean fraction) {
    int n = b.length;
    negative = b[p] == '-';
    int i = negative ? p + 1 : p;
    int first = i;
    mantissa = 0;
    while (i < n && b[i] >= '0' && b[i] <= '9') {
      mantissa = mantissa * 10 + (b[i] - '0');
      i++;
    }
    int integerDigits = i - first;
    scale = 0;
    if (fraction && i < n && b[i] == '.') {
      int fractionStart = ++i;
      while (i < n && b[i] >= '0' && b[i] <= '9') {
        mantissa = mantissa * 10 + (b[i] - '0');
        i++;
      }
      scale = i - fractionStart;
      if (scale == 0) {
        pos = -1;
        return false;
      }
    }
    boolean plain =
        integerDigits > 0
            && integerDigits + scale <= MAX_MANTISSA_DIGITS
            && (integerDigits == 1 || b[first] != '0')
            && (i >= n || (b[i] != '.' && b[i] != 'e' && b[i] != 'E'));
    pos = plain ? i : -1;
    return plain;
  }

  /** A JSON integer at {@code p} (no fraction, no exponent, at most 18 digits); else pos -1. */
  private long integer(byte[] b, int p) {
    if (!plainNumber(b, p, false)) {
      return 0;
    }
    return negative ? -mantissa : mantissa;
  }

  /**
   * A JSON number without exponent at {@code p} whose digits form an exact mantissa (at most 2^53,
   * at most 22 decimals); else pos -1.
   */
  private double decimal(byte[] b, int p) {
    if (!plainNumber(b, p, true)) {
      return 0;
    }
    if (mantissa > MAX_EXACT_MANTISSA || scale >= POWERS_OF_TEN.length) {
      pos = -1;
      return 0;
    }
    if (scale == 0) {
      // An integer token: Jackson converts the integer, so "-0" is 0.0, not -0.0.
      return negative ? (double) -mantissa : (double) mantissa;
    }
    double value = mantissa / POWERS_OF_TEN[scale];
    return negative ? -value : value;
  }
}

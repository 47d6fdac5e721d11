package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.EventKind;
import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.transforms.delta.PrimitiveFields;
import dev.ticklake.transforms.expectations.RuleColumn;
import dev.ticklake.transforms.util.EncodedChunk;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * One {@code silver/ticks} row while it moves through the pipeline, typed and unboxed, plus the
 * Bronze position it came from (Kafka partition and offset), which decides which of several
 * duplicates is kept. Immutable. {@link #COLUMNS} exposes the row to expectation rules under its
 * {@code silver/ticks} column names; {@link #CODER} encodes it compactly for shuffles.
 */
public final class SilverTick {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  /** The columns of {@code silver/ticks}, readable by {@code CompiledRule}s. */
  public static final List<RuleColumn<SilverTick>> COLUMNS =
      List.of(
          RuleColumn.string("symbol", SilverTick::symbol),
          RuleColumn.timestampMicros("ts", SilverTick::tsMicros),
          RuleColumn.string("kind", t -> t.kind.label()),
          RuleColumn.string("interval", t -> t.interval == null ? null : t.interval.label()),
          RuleColumn.number("open", SilverTick::open),
          RuleColumn.number("high", SilverTick::high),
          RuleColumn.number("low", SilverTick::low),
          RuleColumn.number("close", SilverTick::close),
          RuleColumn.integer("volume", SilverTick::volume),
          RuleColumn.string("source", SilverTick::source),
          RuleColumn.string("event_id", SilverTick::eventId),
          RuleColumn.timestampMicros("ingest_ts", SilverTick::ingestTsMicros),
          RuleColumn.date("trade_date", SilverTick::tradeDate));

  /** A compact, deterministic coder. */
  public static final Coder<SilverTick> CODER = new SilverTickCoder();

  private static final List<String> RECORD_FIELDS =
      List.of(
          "symbol",
          "ts",
          "kind",
          "interval",
          "open",
          "high",
          "low",
          "close",
          "volume",
          "source",
          "event_id",
          "ingest_ts",
          "trade_date");

  static {
    // toRecord() fills fields by position for speed: fail at class-init if the schema moved.
    if (!TableCatalog.SILVER_TICKS.columnNames().equals(RECORD_FIELDS)) {
      throw new IllegalStateException(
          "silver/ticks columns changed to "
              + TableCatalog.SILVER_TICKS.columnNames()
              + "; update SilverTick.toRecord()");
    }
  }

  private final String symbol;
  private final long tsMicros;
  private final EventKind kind;
  private final BarInterval interval;
  private final double open;
  private final double high;
  private final double low;
  private final double close;
  private final long volume;
  private final String source;
  private final String eventId;
  private final long ingestTsMicros;
  private final int bronzePartition;
  private final long bronzeOffset;

  SilverTick(
      String symbol,
      long tsMicros,
      EventKind kind,
      BarInterval interval,
      double open,
      double high,
      double low,
      double close,
      long volume,
      String source,
      String eventId,
      long ingestTsMicros,
      int bronzePartition,
      long bronzeOffset) {
    this.symbol = symbol;
    this.tsMicros = tsMicros;
    this.kind = kind;
    this.interval = interval;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volume = volume;
    this.source = source;
    this.eventId = eventId;
    this.ingestTsMicros = ingestTsMicros;
    this.bronzePartition = bronzePartition;
    this.bronzeOffset = bronzeOffset;
  }

  /**
   * The Silver row of a parsed event: {@code ts} truncated to microseconds (the table's precision),
   * a missing source stored as {@link MarketEvent#NO_SOURCE}, the event id as {@link
   * MarketEvent#effectiveEventId()}.
   */
  public static SilverTick of(MarketEvent e, long ingestTsMicros, int partition, long offset) {
    long ts =
        Math.addExact(
            Math.multiplyExact(e.ts().getEpochSecond(), MICROS_PER_SECOND),
            e.ts().getNano() / 1000);
    return new SilverTick(
        e.symbol(),
        ts,
        e.kind(),
        e.interval(),
        e.open(),
        e.high(),
        e.low(),
        e.close(),
        e.volume(),
        e.source() == null ? MarketEvent.NO_SOURCE : e.source(),
        e.effectiveEventId(),
        ingestTsMicros,
        partition,
        offset);
  }

  public String symbol() {
    return symbol;
  }

  public long tsMicros() {
    return tsMicros;
  }

  public EventKind kind() {
    return kind;
  }

  /** Null for trades. */
  public BarInterval interval() {
    return interval;
  }

  public double open() {
    return open;
  }

  public double high() {
    return high;
  }

  public double low() {
    return low;
  }

  public double close() {
    return close;
  }

  public long volume() {
    return volume;
  }

  public String source() {
    return source;
  }

  public String eventId() {
    return eventId;
  }

  public long ingestTsMicros() {
    return ingestTsMicros;
  }

  /** The UTC date of {@code ts}, as days since 1970-01-01. */
  public int tradeDate() {
    return (int) Math.floorDiv(tsMicros, MICROS_PER_DAY);
  }

  public int bronzePartition() {
    return bronzePartition;
  }

  public long bronzeOffset() {
    return bronzeOffset;
  }

  /**
   * The {@code silver/ticks} key (symbol, ts, source) as one unambiguous string: the symbol is
   * length-prefixed, so no symbol or source content can make two keys collide.
   */
  public String key() {
    return new StringBuilder(symbol.length() + source.length() + 28)
        .append(symbol.length())
        .append(':')
        .append(symbol)
        .append(tsMicros)
        .append('|')
        .append(source)
        .toString();
  }

  /**
   * A well-mixed hash of the key (symbol, ts, source), built from the hashes the Java language
   * specifies for strings, so it is the same in every JVM: rows land in the same bucket on every
   * runner and worker. Mixed because timestamps are often whole milliseconds (multiples of 1000
   * µs), whose low bits never vary.
   */
  public int keyHash() {
    return hashOf(symbol, tsMicros, source);
  }

  private static int hashOf(String symbol, long tsMicros, String source) {
    long h = (symbol.hashCode() * 31L + source.hashCode()) * 0x9E3779B97F4A7C15L + tsMicros;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 31) ^ (h >>> 32));
  }

  /** The key (symbol, ts, source) as a map key, without building {@link #key()}'s string. */
  Key keyValue() {
    return new Key(symbol, tsMicros, source);
  }

  /** The {@code silver/ticks} key of a row. */
  record Key(String symbol, long tsMicros, String source) {
    @Override
    public int hashCode() {
      return hashOf(symbol, tsMicros, source);
    }
  }

  /** Whether this row comes first in Bronze: lower Kafka partition, then lower offset. */
  public boolean precedes(SilverTick other) {
    return bronzePartition != other.bronzePartition
        ? bronzePartition < other.bronzePartition
        : bronzeOffset < other.bronzeOffset;
  }

  /**
   * This row in the {@code silver/ticks} schema, as a read-only {@link GenericRecord} view: values
   * are boxed when read, not stored. A batch holds hundreds of thousands of rows between the
   * de-duplication and the write; a copied record per row (an array and ten boxed numbers) lived
   * long enough to be promoted and cost full collections.
   */
  public GenericRecord toRecord() {
    return new RecordView(this);
  }

  /** {@link #toRecord()}: field positions as in {@link #RECORD_FIELDS}. */
  private static final class RecordView implements GenericRecord, PrimitiveFields {
    private static final Schema SCHEMA = TableCatalog.SILVER_TICKS.schema();
    private final SilverTick t;

    RecordView(SilverTick t) {
      this.t = t;
    }

    @Override
    public Schema getSchema() {
      return SCHEMA;
    }

    @Override
    public Object get(int i) {
      return switch (i) {
        case 0 -> t.symbol;
        case 2 -> t.kind.label();
        case 3 -> t.interval == null ? null : t.interval.label();
        case 9 -> t.source;
        case 10 -> t.eventId;
        case 1, 8, 11 -> getLong(i);
        case 4, 5, 6, 7 -> getDouble(i);
        case 12 -> getInt(i);
        default -> throw new IndexOutOfBoundsException("silver/ticks has no field " + i);
      };
    }

    @Override
    public boolean isNull(int i) {
      return switch (i) {
        case 1, 4, 5, 6, 7, 8, 11, 12 -> false; // numbers are never null
        case 3 -> t.interval == null;
        default -> get(i) == null;
      };
    }

    @Override
    public int getInt(int i) {
      if (i == 12) {
        return t.tradeDate();
      }
      throw new IllegalArgumentException("silver/ticks field " + i + " is not an int");
    }

    @Override
    public long getLong(int i) {
      return switch (i) {
        case 1 -> t.tsMicros;
        case 8 -> t.volume;
        case 11 -> t.ingestTsMicros;
        default -> throw new IllegalArgumentException("silver/ticks field " + i + " is not a long");
      };
    }

    @Override
    public double getDouble(int i) {
      return switch (i) {
        case 4 -> t.open;
        case 5 -> t.high;
        case 6 -> t.low;
        case 7 -> t.close;
        default ->
            throw new IllegalArgumentException("silver/ticks field " + i + " is not a double");
      };
    }

    @Override
    public Object get(String key) {
      Schema.Field f = SCHEMA.getField(key);
      if (f == null) {
        throw new org.apache.avro.AvroRuntimeException("Not a valid schema field: " + key);
      }
      return get(f.pos());
    }

    @Override
    public void put(int i, Object v) {
      throw new UnsupportedOperationException("a SilverTick record view is read-only");
    }

    @Override
    public void put(String key, Object v) {
      throw new UnsupportedOperationException("a SilverTick record view is read-only");
    }

    @Override
    public String toString() {
      return GenericData.get().toString(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SilverTick t
        && tsMicros == t.tsMicros
        && Double.compare(open, t.open) == 0
        && Double.compare(high, t.high) == 0
        && Double.compare(low, t.low) == 0
        && Double.compare(close, t.close) == 0
        && volume == t.volume
        && ingestTsMicros == t.ingestTsMicros
        && bronzePartition == t.bronzePartition
        && bronzeOffset == t.bronzeOffset
        && kind == t.kind
        && interval == t.interval
        && symbol.equals(t.symbol)
        && source.equals(t.source)
        && eventId.equals(t.eventId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, tsMicros, source, bronzePartition, bronzeOffset);
  }

  @Override
  public String toString() {
    return String.format(
        "SilverTick[%s %s %s %s o=%s h=%s l=%s c=%s v=%d source='%s' id=%s bronze=%d/%d]",
        symbol,
        Instant.EPOCH.plus(tsMicros, ChronoUnit.MICROS),
        kind.label(),
        interval == null ? "-" : interval.label(),
        open,
        high,
        low,
        close,
        volume,
        source,
        eventId,
        bronzePartition,
        bronzeOffset);
  }

  /**
   * One length-prefixed block per row: {@code varint(block length)}, then symbol, ts, kind,
   * interval, open, high, low, close, volume, source, event id, ingest ts, Bronze partition and
   * offset (numbers fixed-width big-endian, strings as varint length + UTF-8). The row is built in
   * a byte array and written (and read) with one call: runners hand coders streams whose per-call
   * overhead dominates when every field is written separately. Deterministic: equal rows encode to
   * equal bytes.
   */
  private static final class SilverTickCoder extends AtomicCoder<SilverTick> {
    private static final long serialVersionUID = 1L;
    private static final EventKind[] KINDS = EventKind.values();
    private static final BarInterval[] INTERVALS = BarInterval.values();
    private static final int FIXED_BYTES = 8 + 1 + 1 + 4 * 8 + 8 + 8 + 4 + 8;

    @Override
    public void encode(SilverTick t, OutputStream out) throws IOException {
      // The row is written after a 5-byte gap, then its length goes right before it: string
      // lengths in UTF-8 are only known once written (ASCII, the usual case, is copied char by
      // char in one pass, without a UTF-8 array per string; 3 bytes per char bound the rest).
      // Inside an EncodedChunk (the shuffle's chunks) the row is built in the chunk's own array.
      int stringChars = t.symbol.length() + t.source.length() + t.eventId.length();
      int maxBytes = 5 + FIXED_BYTES + 3 * 5 + 3 * stringChars;
      EncodedChunk.Sink sink = out instanceof EncodedChunk.Sink s ? s : null;
      int base = sink == null ? 0 : sink.size();
      ByteBuffer b = ByteBuffer.wrap(sink == null ? new byte[maxBytes] : sink.reserve(maxBytes));
      b.position(base + 5);
      putString(b, t.symbol);
      b.putLong(t.tsMicros);
      b.put((byte) t.kind.ordinal());
      b.put((byte) (t.interval == null ? -1 : t.interval.ordinal()));
      b.putDouble(t.open);
      b.putDouble(t.high);
      b.putDouble(t.low);
      b.putDouble(t.close);
      b.putLong(t.volume);
      putString(b, t.source);
      putString(b, t.eventId);
      b.putLong(t.ingestTsMicros);
      b.putInt(t.bronzePartition);
      b.putLong(t.bronzeOffset);
      int length = b.position() - base - 5;
      int start = base + 5 - VarInt.getLength(length);
      b.position(start);
      putVarInt(b, length);
      int total = base + 5 + length - start;
      if (sink == null) {
        out.write(b.array(), start, total);
      } else {
        System.arraycopy(b.array(), start, b.array(), base, total);
        sink.advance(total);
      }
    }

    @Override
    public SilverTick decode(InputStream in) throws IOException {
      int length = VarInt.decodeInt(in);
      if (length < FIXED_BYTES) {
        throw new CoderException("SilverTick block of " + length + " bytes is too short");
      }
      ByteBuffer b;
      if (in instanceof EncodedChunk.Source source && source.available() >= length) {
        b = ByteBuffer.wrap(source.array(), source.position(), length);
        source.skip(length);
      } else {
        byte[] block = new byte[length];
        int read = in.readNBytes(block, 0, length);
        if (read < length) {
          throw new EOFException(
              "SilverTick block ends after " + read + " of " + length + " bytes");
        }
        b = ByteBuffer.wrap(block);
      }
      String symbol = getString(b);
      long ts = b.getLong();
      EventKind kind = KINDS[b.get()];
      byte interval = b.get();
      double open = b.getDouble();
      double high = b.getDouble();
      double low = b.getDouble();
      double close = b.getDouble();
      long volume = b.getLong();
      String source = getString(b);
      String eventId = getString(b);
      return new SilverTick(
          symbol,
          ts,
          kind,
          interval < 0 ? null : INTERVALS[interval],
          open,
          high,
          low,
          close,
          volume,
          source,
          eventId,
          b.getLong(),
          b.getInt(),
          b.getLong());
    }

    /** Varint length, then UTF-8: ASCII copied char by char, anything else encoded by Java. */
    private static void putString(ByteBuffer b, String s) {
      int n = s.length();
      int lengthAt = b.position();
      putVarInt(b, n);
      byte[] a = b.array();
      int p = b.position();
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
          b.position(lengthAt);
          putVarInt(b, utf8.length);
          b.put(utf8);
          return;
        }
        a[p + i] = (byte) c;
      }
      b.position(p + n);
    }

    private static String getString(ByteBuffer b) {
      int length = getVarInt(b);
      String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
      b.position(b.position() + length);
      return s;
    }

    /** Beam's VarInt format (7 bits per byte, low first), into a buffer. */
    private static void putVarInt(ByteBuffer b, int value) {
      int v = value;
      while ((v & ~0x7F) != 0) {
        b.put((byte) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      b.put((byte) v);
    }

    private static int getVarInt(ByteBuffer b) {
      int result = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        byte x = b.get();
        result |= (x & 0x7F) << shift;
        if (x >= 0) {
          return result;
        }
      }
      throw new IllegalStateException("varint longer than 5 bytes in a SilverTick block");
    }

    @Override
    public void verifyDeterministic() {}
  }
}

package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.EventKind;
import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.transforms.expectations.RuleColumn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;

/**
 * One {@code silver/ticks} row while it moves through the pipeline, typed and unboxed, plus the
 * Bronze position it came from (Kafka partition and offset), which decides which of several
 * duplicates is kept. Immutable. {@link #COLUMNS} exposes the row to expectation rules under its
 * {@code silver/ticks} column names; {@link #CODER} encodes it compactly for shuffles ({@code
 * SilverTickCoder}); {@link #toRecord()} shows it as a {@code silver/ticks} row ({@code
 * SilverTickRecordView}).
 */
public final class SilverTick {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  /**
   * The columns of {@code silver/ticks}, readable by {@code CompiledRule}s: every column, in schema
   * order (checked when this class initialises), so a column's index here is its position in the
   * table and in {@link #toRecord()}.
   */
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

  static {
    // toRecord() reads fields by their position in COLUMNS: fail at class-init if the schema moved.
    List<String> names = COLUMNS.stream().map(RuleColumn::name).toList();
    if (!TableCatalog.SILVER_TICKS.columnNames().equals(names)) {
      throw new IllegalStateException(
          "silver/ticks columns changed to "
              + TableCatalog.SILVER_TICKS.columnNames()
              + "; update SilverTick.COLUMNS and SilverTickRecordView");
    }
  }

  /** A compact, deterministic coder ({@code SilverTickCoder}). */
  public static final Coder<SilverTick> CODER = new SilverTickCoder();

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
    return new SilverTickRecordView(this);
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
}

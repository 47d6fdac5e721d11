package dev.ticklake.transforms.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.MarketEvent;
import dev.ticklake.testing.AvroRows;
import dev.ticklake.transforms.expectations.CompiledRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilverTickTest {
  static final Instant NOW = Instant.parse("2026-11-20T14:30:00Z");

  static SilverTick bar(String symbol, double o, double h, double l, double c, long volume) {
    MarketEvent e =
        MarketEvent.bar(symbol, NOW, BarInterval.ONE_MINUTE, o, h, l, c, volume, "csv", null);
    return SilverTick.of(e, 42L, 3, 7L);
  }

  static String explain(String expectation, SilverTick t) {
    Expectation e =
        TableCatalog.SILVER_TICKS.expectations().stream()
            .filter(x -> x.name().equals(expectation))
            .findFirst()
            .orElseThrow();
    return CompiledRule.compile(e.rule(), SilverTick.COLUMNS, NOW).explain(t);
  }

  @Test
  void catalogExpectationsPassAGoodRowAndExplainBadOnes() {
    SilverTick good = bar("BRK.B", 10, 11, 9, 10.5, 100);
    for (Expectation e : TableCatalog.SILVER_TICKS.expectations()) {
      assertThat(CompiledRule.compile(e.rule(), SilverTick.COLUMNS, NOW).test(good))
          .as(e.name())
          .isTrue();
    }
    assertThat(explain("valid_symbol", bar("A B", 1, 1, 1, 1, 1)))
        .isEqualTo("symbol 'A B' must match '^[A-Z][A-Z0-9.\\-]{0,14}$'");
    assertThat(explain("valid_symbol", bar("ABCDEFGHIJKLMNOP", 1, 1, 1, 1, 1)))
        .as("16 characters")
        .isEqualTo("symbol 'ABCDEFGHIJKLMNOP' must match '^[A-Z][A-Z0-9.\\-]{0,14}$'");
    assertThat(explain("positive_prices", bar("A", 1, 1, 1, -0.5, 1)))
        .isEqualTo("close -0.5 must be > 0");
    assertThat(explain("consistent_ohlc", bar("A", 5, 6, 5.5, 4, 1)))
        .isEqualTo("low 5.5 must be <= least(open, close) (4.0)");
    assertThat(explain("non_negative_volume", bar("A", 1, 1, 1, 1, -1)))
        .isEqualTo("volume -1 must be >= 0");
  }

  @Test
  void mapsAnEventToTheSilverRow() {
    MarketEvent trade =
        MarketEvent.trade("AAPL", Instant.parse("2026-11-20T23:59:59.123456789Z"), 1.25, 9);
    SilverTick t = SilverTick.of(trade, 5L, 1, 2L);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("symbol", "AAPL");
    expected.put("ts", Instant.parse("2026-11-20T23:59:59.123456Z"));
    expected.put("kind", "trade");
    expected.put("interval", null);
    expected.put("open", 1.25);
    expected.put("high", 1.25);
    expected.put("low", 1.25);
    expected.put("close", 1.25);
    expected.put("volume", 9L);
    expected.put("source", "");
    expected.put("event_id", trade.deterministicId());
    expected.put("ingest_ts", Instant.parse("1970-01-01T00:00:00.000005Z"));
    expected.put("trade_date", LocalDate.parse("2026-11-20"));
    assertThat(AvroRows.toMap(t.toRecord())).isEqualTo(expected);
  }

  @Test
  void keysAreUnambiguousAndCoderRoundTrips() throws Exception {
    SilverTick a = bar("AB", 1, 1, 1, 1, 1);
    assertThat(a.key()).isEqualTo("2:AB" + a.tsMicros() + "|csv");
    for (SilverTick t : List.of(a, bar("X".repeat(70_000), 1, 2, 0.5, 1.5, 3))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SilverTick.CODER.encode(t, out);
      assertThat(SilverTick.CODER.decode(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(t);
    }
    SilverTick later = SilverTick.of(MarketEvent.trade("A", NOW, 1, 1), 0, 0, 8L);
    SilverTick earlier = SilverTick.of(MarketEvent.trade("A", NOW, 1, 1), 0, 0, 7L);
    SilverTick otherPartition = SilverTick.of(MarketEvent.trade("A", NOW, 1, 1), 0, 1, 0L);
    assertThat(earlier.precedes(later)).isTrue();
    assertThat(later.precedes(earlier)).isFalse();
    assertThat(later.precedes(otherPartition)).isTrue();
  }

  @Test
  void coderIsDeterministicAndKeepsEveryField() throws Exception {
    SilverTick trade =
        SilverTick.of(
            MarketEvent.trade(
                "BRK.B", Instant.parse("2026-11-20T14:30:00.123456Z"), 412.5, 7, "", "id-é✓"),
            1_763_000_000_000_000L,
            1,
            Long.MAX_VALUE);
    SilverTick bar = bar("X".repeat(200), -0.0, Double.MAX_VALUE, Double.MIN_VALUE, 1.5, -3);
    // Longer than the coder's first buffer; ASCII until the last char, which is not.
    SilverTick longId =
        SilverTick.of(
            MarketEvent.trade(
                "MSFT", Instant.parse("2026-11-20T14:30:01Z"), 1, 1, "s", "a".repeat(3000) + "€"),
            1,
            0,
            0);
    for (SilverTick t : List.of(trade, bar, longId)) {
      byte[] once = encode(t);
      assertThat(encode(t)).as("same row, same bytes").isEqualTo(once);
      SilverTick back = SilverTick.CODER.decode(new ByteArrayInputStream(once));
      assertThat(back).isEqualTo(t);
      assertThat(back.toString()).isEqualTo(t.toString());
      assertThat(AvroRows.toMap(back.toRecord())).isEqualTo(AvroRows.toMap(t.toRecord()));
    }
    // Rows follow each other on a stream: each decode stops at its own block.
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    SilverTick.CODER.encode(trade, both);
    SilverTick.CODER.encode(bar, both);
    ByteArrayInputStream in = new ByteArrayInputStream(both.toByteArray());
    assertThat(SilverTick.CODER.decode(in)).isEqualTo(trade);
    assertThat(SilverTick.CODER.decode(in)).isEqualTo(bar);
    assertThat(in.read()).isEqualTo(-1);
    SilverTick.CODER.verifyDeterministic();
  }

  @Test
  void insideAChunkRowsAreWrittenAndReadInPlaceWithTheSameBytes() throws Exception {
    // Short rows (1-byte length), a row over 127 bytes (2-byte length), non-ASCII, and enough
    // rows that the chunk's array grows while rows are written in place.
    List<SilverTick> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(
          SilverTick.of(
              MarketEvent.trade(
                  i % 7 == 0 ? "BRK.B" : "AAPL",
                  Instant.ofEpochSecond(1_763_000_000L + i),
                  100 + i,
                  i,
                  i % 5 == 0 ? "fëed" : "feed",
                  i % 3 == 0 ? "x".repeat(150) : "id-" + i),
              i,
              i % 2,
              i));
    }
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    for (SilverTick t : rows) {
      SilverTick.CODER.encode(t, plain);
    }
    dev.ticklake.transforms.util.EncodedChunk.Builder<SilverTick> builder =
        dev.ticklake.transforms.util.EncodedChunk.builder(SilverTick.CODER);
    for (SilverTick t : rows) {
      builder.add(t);
    }
    dev.ticklake.transforms.util.EncodedChunk chunk = builder.build();
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    dev.ticklake.transforms.util.EncodedChunk.CODER.encode(chunk, encoded);
    byte[] bytes = encoded.toByteArray();
    // The chunk is varint(count), varint(length), then exactly the rows' plain bytes.
    byte[] tail = java.util.Arrays.copyOfRange(bytes, bytes.length - plain.size(), bytes.length);
    assertThat(tail).isEqualTo(plain.toByteArray());
    assertThat(bytes.length - plain.size())
        .isEqualTo(
            org.apache.beam.sdk.util.VarInt.getLength(rows.size())
                + org.apache.beam.sdk.util.VarInt.getLength(plain.size()));
    assertThat(
            dev.ticklake.transforms.util.EncodedChunk.CODER
                .decode(new ByteArrayInputStream(bytes))
                .decode(SilverTick.CODER))
        .isEqualTo(rows);
  }

  @Test
  void aTruncatedBlockFailsClearly() throws Exception {
    byte[] bytes = encode(bar("AB", 1, 1, 1, 1, 1));
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 5);
    assertThatThrownBy(() -> SilverTick.CODER.decode(new ByteArrayInputStream(cut)))
        .isInstanceOf(java.io.EOFException.class)
        .hasMessageContaining("SilverTick block ends after");
    assertThatThrownBy(() -> SilverTick.CODER.decode(new ByteArrayInputStream(new byte[] {3, 1})))
        .isInstanceOf(org.apache.beam.sdk.coders.CoderException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void keyHashDependsOnTheKeyOnlyAndIsFixedAcrossJvms() {
    SilverTick a = SilverTick.of(MarketEvent.trade("AAPL", NOW, 1, 1), 0, 0, 1L);
    SilverTick sameKey = SilverTick.of(MarketEvent.trade("AAPL", NOW, 2, 5), 9, 1, 2L);
    SilverTick otherTs =
        SilverTick.of(MarketEvent.trade("AAPL", NOW.plusMillis(1), 1, 1), 0, 0, 1L);
    assertThat(sameKey.keyHash()).isEqualTo(a.keyHash());
    assertThat(sameKey.keyValue()).isEqualTo(a.keyValue());
    assertThat(sameKey.keyValue().hashCode()).isEqualTo(a.keyHash());
    assertThat(otherTs.keyHash()).isNotEqualTo(a.keyHash());
    assertThat(otherTs.keyValue()).isNotEqualTo(a.keyValue());
    // Pinned: buckets (and so which rows share a file) must not depend on the JVM or runner.
    assertThat(a.keyHash()).isEqualTo(PINNED_KEY_HASH);
  }

  @Test
  void wholeMillisecondTimestampsSpreadEvenlyOverBuckets() {
    int buckets = 64;
    int[] sizes = new int[buckets];
    for (int i = 0; i < 64_000; i++) {
      SilverTick t =
          SilverTick.of(MarketEvent.trade("S" + (i % 5), NOW.plusMillis(i), 1, 1), 0, 0, i);
      sizes[DedupeAndInsertNew.bucketOf(t.keyHash(), buckets)]++;
    }
    // 1,000 expected per bucket; a poor hash of whole milliseconds leaves most buckets empty.
    assertThat(java.util.Arrays.stream(sizes).min().getAsInt()).isGreaterThan(850);
    assertThat(java.util.Arrays.stream(sizes).max().getAsInt()).isLessThan(1150);
  }

  private static byte[] encode(SilverTick t) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SilverTick.CODER.encode(t, out);
    return out.toByteArray();
  }

  private static final int PINNED_KEY_HASH = -34_450_679;
}

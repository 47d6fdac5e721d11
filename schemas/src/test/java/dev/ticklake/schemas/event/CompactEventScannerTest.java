package dev.ticklake.schemas.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written path agrees with Jackson: whenever {@link CompactEventScanner#scanOrNull}
 * returns an event, {@link MarketEventCodec#parseWithJackson} returns an equal one (it never
 * accepts what Jackson rejects), on generated events, on hand-picked edge cases and on every
 * single-byte mutation of real payloads; and it does decide the payloads producers write.
 */
class CompactEventScannerTest {
  private static final String[] SYMBOLS = {"AAPL", "MSFT", "BRK.B", "X", "RDS-A", "GOOGL"};
  private static final String[] SOURCES = {"synthetic", "csv-replay", "alpha-vantage", "yahoo"};

  /** The outcome of the Jackson path: the event, or null if it threw. */
  private static MarketEvent jackson(byte[] payload) {
    try {
      return MarketEventCodec.parseWithJackson(payload);
    } catch (MalformedEventException | RuntimeException e) {
      return null;
    }
  }

  /** Asserts the contract on one payload; returns whether the hand-written path decided it. */
  private static boolean agrees(byte[] payload) {
    MarketEvent scanned = CompactEventScanner.scanOrNull(payload);
    if (scanned == null) {
      return false;
    }
    assertThat(jackson(payload))
        .as("Jackson's reading of %s", new String(payload, UTF_8))
        .isEqualTo(scanned);
    return true;
  }

  /** A price with 0-6 decimals below a million, or a rarer very small or very large one. */
  private static double price(Random random) {
    int kind = random.nextInt(20);
    if (kind == 0) {
      return random.nextDouble() * 1e-3;
    }
    if (kind == 1) {
      return 1e7 + random.nextDouble() * 1e9;
    }
    long units = 1 + (long) (random.nextDouble() * 1_000_000_000L);
    return new BigDecimal(units).movePointLeft(random.nextInt(7)).doubleValue();
  }

  private static MarketEvent event(Random random) {
    String symbol = SYMBOLS[random.nextInt(SYMBOLS.length)];
    Instant ts =
        Instant.ofEpochSecond(
            1_600_000_000L + random.nextInt(300_000_000),
            switch (random.nextInt(4)) {
              case 0 -> 0;
              case 1 -> random.nextInt(1000) * 1_000_000;
              case 2 -> random.nextInt(1_000_000) * 1000;
              default -> random.nextInt(1_000_000_000);
            });
    long volume =
        switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> random.nextInt(1000);
          case 2 -> random.nextLong() & Long.MAX_VALUE;
          default -> random.nextInt(Integer.MAX_VALUE);
        };
    String source = random.nextInt(5) == 0 ? null : SOURCES[random.nextInt(SOURCES.length)];
    String eventId = random.nextInt(5) == 0 ? null : UUID.randomUUID().toString();
    if (random.nextBoolean()) {
      return MarketEvent.trade(symbol, ts, price(random), volume, source, eventId);
    }
    BarInterval interval = BarInterval.values()[random.nextInt(BarInterval.values().length)];
    double low = price(random);
    double high = low + price(random);
    return MarketEvent.bar(symbol, ts, interval, low, high, low, high, volume, source, eventId);
  }

  @Test
  void generatedEventsReadBackEqually() {
    Random random = new Random(20261122L);
    int decided = 0;
    for (int i = 0; i < 20_000; i++) {
      MarketEvent e = event(random);
      byte[] payload = MarketEventCodec.toJson(e);
      assertThat(jackson(payload)).isEqualTo(e);
      decided += agrees(payload) ? 1 : 0;
    }
    assertThat(decided).isPositive();
  }

  @Test
  void everyEventOfTheUsualRangesIsDecidedHere() {
    // Prices below 10^7 with up to 6 decimals (Jackson writes larger and tinier ones with an
    // exponent, which is left to it), volumes below 10^18, any symbol, source, id and instant.
    Random random = new Random(11L);
    for (int i = 0; i < 20_000; i++) {
      MarketEvent e = event(random);
      double price = 1 + (long) (random.nextDouble() * 999_999_999L) / 100.0;
      long volume = (long) (random.nextDouble() * 1e17);
      MarketEvent usual =
          e.kind() == EventKind.TRADE
              ? MarketEvent.trade(e.symbol(), e.ts(), price, volume, e.source(), e.eventId())
              : MarketEvent.bar(
                  e.symbol(),
                  e.ts(),
                  e.interval(),
                  price,
                  price + 1.25,
                  price - 0.5,
                  price,
                  volume,
                  e.source(),
                  e.eventId());
      byte[] payload = MarketEventCodec.toJson(usual);
      assertThat(CompactEventScanner.scanOrNull(payload))
          .as(new String(payload, UTF_8))
          .isEqualTo(usual);
    }
  }

  @Test
  void aTypicalFeedEventIsDecidedHere() {
    byte[] payload =
        ("{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00.123456Z\",\"price\":187.12,"
                + "\"volume\":300,\"source\":\"synthetic\",\"event_id\":\"e-1\"}")
            .getBytes(UTF_8);
    assertThat(CompactEventScanner.scanOrNull(payload))
        .isEqualTo(
            MarketEvent.trade(
                "AAPL",
                Instant.parse("2026-11-20T14:30:00.123456Z"),
                187.12,
                300,
                "synthetic",
                "e-1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // whitespace, order, epoch-millisecond ts, bars
        " {\n\t\"volume\" : 5 ,\r\n \"price\":1.5,\"ts\":1700000000123,\"symbol\":\"A\"} \n",
        "{\"symbol\":\"A\",\"ts\":\"2026-01-01T00:00:00+02:00\",\"interval\":\"1d\",\"open\":1,"
            + "\"high\":2,\"low\":0.5,\"close\":1.25,\"volume\":0,\"source\":\"s\"}",
        "{\"symbol\":\"A\",\"ts\":-1,\"price\":1,\"volume\":-0}",
        // numbers at and past the exact range, and forms JSON forbids
        "{\"symbol\":\"A\",\"ts\":1,\"price\":-0,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":-0.0,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":0.1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":0.30000000000000004,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":9007199254740992,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":9007199254740993,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":900719925474099.3,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":123456789012345678,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1234567890123456789,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":0.0000000000000000000001,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1e2,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1E-2,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":01,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1.,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":.5,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":+1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":-,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":NaN,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":300.0}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":300.5}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":99999999999999999999}",
        "{\"symbol\":\"A\",\"ts\":1.5,\"price\":1,\"volume\":1}",
        // strings Jackson reads differently or rejects
        "{\"symbol\":\"A\\u0041\",\"ts\":1,\"price\":1,\"volume\":1}",
        "{\"symbol\":\"\u00c4\",\"ts\":1,\"price\":1,\"volume\":1}",
        "{\"sym\\u0062ol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":\"2026-02-30T00:00:00Z\",\"price\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":\"yesterday\",\"price\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"interval\":\"2min\",\"open\":1,\"high\":1,\"low\":1,"
            + "\"close\":1,\"volume\":1}",
        // structure
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1,\"symbol\":\"B\"}",
        "{\"symbol\":null,\"ts\":1,\"price\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1,\"extra\":{\"a\":[1,2]}}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1,}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1}x",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1}{}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"open\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1}",
        "{\"symbol\":\"A\" \"ts\":1,\"price\":1,\"volume\":1}",
        "{}",
        "[]",
        "\ufeff{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1}",
        "{\"symbol\":\"A\",\"ts\":1,\"price\":1,\"volume\":1",
      })
  void handPickedPayloadsAgree(String json) {
    agrees(json.getBytes(UTF_8));
  }

  @Test
  void everySingleByteMutationOfRealPayloadsAgrees() {
    Random random = new Random(7L);
    byte[] replacements = "\"\\,:{}[] \t0159-.eE+xnul\u0000".getBytes(UTF_8);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      payloads.add(MarketEventCodec.toJson(event(random)));
    }
    int decided = 0;
    for (byte[] payload : payloads) {
      for (int at = 0; at <= payload.length; at++) {
        // truncated here
        decided += agrees(java.util.Arrays.copyOf(payload, at)) ? 1 : 0;
        if (at == payload.length) {
          break;
        }
        // this byte removed
        byte[] removed = new byte[payload.length - 1];
        System.arraycopy(payload, 0, removed, 0, at);
        System.arraycopy(payload, at + 1, removed, at, payload.length - at - 1);
        decided += agrees(removed) ? 1 : 0;
        for (byte r : replacements) {
          // this byte replaced, and r inserted before it
          byte[] replaced = payload.clone();
          replaced[at] = r;
          decided += agrees(replaced) ? 1 : 0;
          byte[] inserted = new byte[payload.length + 1];
          System.arraycopy(payload, 0, inserted, 0, at);
          inserted[at] = r;
          System.arraycopy(payload, at, inserted, at + 1, payload.length - at);
          decided += agrees(inserted) ? 1 : 0;
        }
      }
    }
    // Many mutations still make valid events (a digit for a digit, a space between tokens).
    assertThat(decided).isPositive();
  }

  @Test
  void aRepeatedSymbolOrSourceIsOneSharedString() {
    byte[] first =
        "{\"symbol\":\"MSFT\",\"ts\":1,\"price\":1,\"volume\":1,\"source\":\"feed\"}"
            .getBytes(UTF_8);
    byte[] second =
        "{\"source\":\"feed\",\"symbol\":\"MSFT\",\"ts\":2,\"price\":2,\"volume\":2}"
            .getBytes(UTF_8);
    MarketEvent a = CompactEventScanner.scanOrNull(first);
    MarketEvent b = CompactEventScanner.scanOrNull(second);
    assertThat(b.symbol()).isEqualTo("MSFT").isSameAs(a.symbol());
    assertThat(b.source()).isEqualTo("feed").isSameAs(a.source());
  }
}

package dev.ticklake.schemas.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarketEventCodecTest {
  private static final String TRADE_EXAMPLE =
      "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00.123Z\",\"price\":187.12,\"volume\":300}";
  private static final String BAR_EXAMPLE =
      "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00Z\",\"interval\":\"1min\",\"open\":187.0,"
          + "\"high\":187.5,\"low\":186.9,\"close\":187.2,\"volume\":12000}";

  static MarketEvent parse(String json) throws MalformedEventException {
    return MarketEventCodec.parse(json.getBytes(UTF_8));
  }

  @Test
  void parsesTheDocumentedTrade() throws Exception {
    MarketEvent event = parse(TRADE_EXAMPLE);

    assertThat(event.symbol()).isEqualTo("AAPL");
    assertThat(event.ts()).isEqualTo(Instant.parse("2026-11-20T14:30:00.123Z"));
    assertThat(event.kind()).isEqualTo(EventKind.TRADE);
    assertThat(event.interval()).isNull();
    assertThat(List.of(event.open(), event.high(), event.low(), event.close()))
        .containsExactly(187.12, 187.12, 187.12, 187.12);
    assertThat(event.volume()).isEqualTo(300L);
    assertThat(event.source()).isNull();
    assertThat(event.eventId()).isNull();
  }

  @Test
  void parsesTheDocumentedBar() throws Exception {
    MarketEvent event = parse(BAR_EXAMPLE);

    assertThat(event)
        .isEqualTo(
            new MarketEvent(
                "AAPL",
                Instant.parse("2026-11-20T14:30:00Z"),
                EventKind.BAR,
                BarInterval.ONE_MINUTE,
                187.0,
                187.5,
                186.9,
                187.2,
                12000,
                null,
                null));
  }

  @Test
  void readsTheOptionalSourceAndEventId() throws Exception {
    MarketEvent event =
        parse(
            "{\"symbol\":\"MSFT\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":412.05,\"volume\":25,"
                + "\"source\":\"synthetic\",\"event_id\":\"syn-42\"}");

    assertThat(event)
        .isEqualTo(
            MarketEvent.trade(
                "MSFT", Instant.parse("2026-11-20T14:30:00Z"), 412.05, 25, "synthetic", "syn-42"));
  }

  @ParameterizedTest
  @CsvSource({
    "'\"2026-11-20T14:30:00.123Z\"', 2026-11-20T14:30:00.123Z",
    "1795185000123, 2026-11-20T14:30:00.123Z",
    "'\"2026-11-20T16:30:00.123+02:00\"', 2026-11-20T14:30:00.123Z",
    "'\"2026-11-20T09:30:00-05:00\"', 2026-11-20T14:30:00Z",
    "'\"2026-11-21T00:15:00+09:45\"', 2026-11-20T14:30:00Z",
    "'\"2026-11-20T14:30:00.123456789Z\"', 2026-11-20T14:30:00.123456789Z",
    "'\"2026-11-20T14:30Z\"', 2026-11-20T14:30:00Z",
    "0, 1970-01-01T00:00:00Z",
    "-1000, 1969-12-31T23:59:59Z",
    "1795185000123.0, 2026-11-20T14:30:00.123Z",
  })
  void normalisesEveryTimestampFormToUtc(String tsJson, String expectedUtc) throws Exception {
    MarketEvent event =
        parse("{\"symbol\":\"AAPL\",\"ts\":" + tsJson + ",\"price\":1.5,\"volume\":1}");

    assertThat(event.ts()).isEqualTo(Instant.parse(expectedUtc));
  }

  @Test
  void ignoresUnknownFieldsAndTreatsNullOptionalsAsAbsent() throws Exception {
    MarketEvent event =
        parse(
            "{\"v\":2,\"symbol\":\"AAPL\",\"extra\":{\"a\":[1,{\"price\":2}]},\"ts\":0,"
                + "\"price\":187.12,\"volume\":300.0,\"source\":null,\"event_id\":null,"
                + "\"interval\":null}");

    assertThat(event).isEqualTo(MarketEvent.trade("AAPL", Instant.EPOCH, 187.12, 300));
  }

  @Test
  void writesTheDocumentedFormsExactly() throws Exception {
    assertThat(new String(MarketEventCodec.toJson(parse(TRADE_EXAMPLE)), UTF_8))
        .isEqualTo(TRADE_EXAMPLE);
    assertThat(new String(MarketEventCodec.toJson(parse(BAR_EXAMPLE)), UTF_8))
        .isEqualTo(BAR_EXAMPLE);
  }

  @Test
  void writesSourceAndEventIdLastAndEscapesStrings() {
    MarketEvent event =
        MarketEvent.trade("BRK.B", Instant.EPOCH, 471.3, 10, "csv \"upload\"", "id\n1");

    assertThat(new String(MarketEventCodec.toJson(event), UTF_8))
        .isEqualTo(
            "{\"symbol\":\"BRK.B\",\"ts\":\"1970-01-01T00:00:00Z\",\"price\":471.3,\"volume\":10,"
                + "\"source\":\"csv \\\"upload\\\"\",\"event_id\":\"id\\n1\"}");
  }

  @Test
  void roundTripsTrades() throws Exception {
    List<MarketEvent> trades =
        List.of(
            MarketEvent.trade("AAPL", Instant.parse("2026-11-20T14:30:00.123Z"), 187.12, 300),
            MarketEvent.trade(
                "BRK.B", Instant.parse("2026-11-20T14:30:00.123456789Z"), 0.1 + 0.2, 0, "s", "e"),
            MarketEvent.trade("Ünï€ode", Instant.ofEpochSecond(-86_400), -0.0, Long.MAX_VALUE),
            MarketEvent.trade("X", Instant.parse("+12026-01-01T00:00:00Z"), 1e-300, -5, "", ""));

    for (MarketEvent trade : trades) {
      assertThat(MarketEventCodec.parse(MarketEventCodec.toJson(trade))).isEqualTo(trade);
    }
  }

  @Test
  void roundTripsBars() throws Exception {
    for (BarInterval interval : BarInterval.values()) {
      MarketEvent bar =
          MarketEvent.bar(
              "AAPL",
              Instant.parse("2026-11-20T14:30:00Z"),
              interval,
              187.0,
              187.5,
              186.9,
              187.2,
              12000,
              "alphavantage",
              interval.label() + "-1");

      assertThat(MarketEventCodec.parse(MarketEventCodec.toJson(bar))).isEqualTo(bar);
    }
    MarketEvent oddBar =
        MarketEvent.bar(
            "Z", Instant.EPOCH, BarInterval.ONE_DAY, 1.7976931348623157e308, 1, 0, 1, 0);
    assertThat(MarketEventCodec.parse(MarketEventCodec.toJson(oddBar))).isEqualTo(oddBar);
  }

  @Test
  void parsesConcurrentlyWithoutSharedState() {
    List<MarketEvent> expected =
        IntStream.range(0, 20_000)
            .mapToObj(
                i ->
                    MarketEvent.trade(
                        "S" + i, Instant.ofEpochMilli(1_795_185_000_000L + i), 100 + i, i))
            .toList();

    List<MarketEvent> parsed =
        expected.parallelStream()
            .map(MarketEventCodec::toJson)
            .map(
                json -> {
                  try {
                    return MarketEventCodec.parse(json);
                  } catch (MalformedEventException e) {
                    throw new AssertionError(e);
                  }
                })
            .toList();

    assertThat(parsed).isEqualTo(expected);
  }
}

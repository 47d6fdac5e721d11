package dev.ticklake.schemas.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every structural problem is rejected with a message that says exactly what is wrong. */
class MarketEventCodecMalformedTest {
  private static final String HEAD = "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00Z\",";
  private static final String OHLC = "\"open\":187.0,\"high\":187.5,\"low\":186.9,\"close\":187.2";

  static Stream<Arguments> malformedPayloads() {
    return Stream.of(
        Arguments.of(HEAD + "\"volume\":300}", "missing field 'price'"),
        Arguments.of("{\"ts\":0,\"price\":1,\"volume\":1}", "missing field 'symbol'"),
        Arguments.of("{\"symbol\":\"AAPL\",\"price\":1,\"volume\":1}", "missing field 'ts'"),
        Arguments.of(HEAD + "\"price\":1}", "missing field 'volume'"),
        Arguments.of(
            HEAD + "\"price\":\"abc\",\"volume\":300}", "field 'price' is not a number: 'abc'"),
        Arguments.of(
            HEAD + "\"price\":true,\"volume\":300}", "field 'price' is not a number: true"),
        Arguments.of(
            HEAD + "\"price\":{\"v\":1},\"volume\":3}", "field 'price' is not a number: an object"),
        Arguments.of(HEAD + "\"price\":null,\"volume\":300}", "field 'price' is null"),
        Arguments.of(
            HEAD + "\"price\":1e400,\"volume\":3}", "field 'price' is out of range: 1e400"),
        Arguments.of(
            "{\"symbol\":42,\"ts\":0,\"price\":1,\"volume\":1}",
            "field 'symbol' is not a string: 42"),
        Arguments.of(
            HEAD + "\"price\":1,\"volume\":1,\"source\":[\"x\"]}",
            "field 'source' is not a string: an array"),
        Arguments.of(
            HEAD + "\"price\":1,\"volume\":12.5}", "field 'volume' is not an integer: 12.5"),
        Arguments.of(
            HEAD + "\"price\":1,\"volume\":\"300\"}", "field 'volume' is not an integer: '300'"),
        Arguments.of(
            HEAD + "\"price\":1,\"volume\":9223372036854775808}",
            "field 'volume' is out of the 64-bit range: 9223372036854775808"),
        Arguments.of(
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-13-01\",\"price\":1,\"volume\":1}",
            "field 'ts' is not an ISO-8601 instant: '2026-13-01'"),
        Arguments.of(
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00\",\"price\":1,\"volume\":1}",
            "field 'ts' is not an ISO-8601 instant: '2026-11-20T14:30:00'"),
        Arguments.of(
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-02-30T14:30:00Z\",\"price\":1,\"volume\":1}",
            "field 'ts' is not an ISO-8601 instant: '2026-02-30T14:30:00Z'"),
        Arguments.of(
            "{\"symbol\":\"AAPL\",\"ts\":1.5,\"price\":1,\"volume\":1}",
            "field 'ts' is not integer epoch milliseconds: 1.5"),
        Arguments.of(
            "{\"symbol\":\"AAPL\",\"ts\":false,\"price\":1,\"volume\":1}",
            "field 'ts' is not an ISO-8601 instant string or integer epoch milliseconds: false"),
        Arguments.of(
            "{\"symbol\":\"AAPL\",\"ts\":\"" + "9".repeat(100) + "\",\"price\":1,\"volume\":1}",
            "field 'ts' is not an ISO-8601 instant: '" + "9".repeat(64) + "...' (100 chars)"),
        Arguments.of(
            "{\"symbol\":AAPL}",
            "not valid JSON at line 1 column 11: Unrecognized token 'AAPL': was expecting (JSON"
                + " String, Number, Array, Object or token 'null', 'true' or 'false')"),
        Arguments.of(
            "{\"symbol\":\"AAPL\"",
            "not valid JSON at line 1 column 17: Unexpected end-of-input: expected close marker"
                + " for Object (start marker at [line: 1, column: 1])"),
        Arguments.of(
            "{\n\"symbol\":\"AAPL\",\n}",
            "not valid JSON at line 3 column 1: Unexpected character ('}' (code 125)): was"
                + " expecting double-quote to start field name"),
        Arguments.of(
            HEAD + "\"price\":1,\"volume\":1} {}",
            "not valid JSON at line 1 column 68: content after the end of the object"),
        Arguments.of("", "empty payload"),
        Arguments.of(" \n\t", "empty payload (whitespace only)"),
        Arguments.of(
            "[" + HEAD + "\"price\":1,\"volume\":1}]", "not a JSON object: found an array"),
        Arguments.of("\"AAPL\"", "not a JSON object: found a string"),
        Arguments.of("null", "not a JSON object: found null"),
        Arguments.of(
            HEAD + "\"interval\":\"2min\"," + OHLC + ",\"volume\":1}",
            "unknown interval '2min' (allowed: 1min, 5min, 15min, 30min, 60min, 1d)"),
        Arguments.of(
            HEAD + "\"interval\":\"1min\",\"price\":187.1,\"volume\":1}",
            "both 'price' and 'interval' present"),
        Arguments.of(
            HEAD + "\"interval\":\"1min\"," + OHLC + ",\"price\":187.1,\"volume\":1}",
            "both 'price' and 'open' present"),
        Arguments.of(
            HEAD + "\"price\":187.1,\"close\":187.2,\"volume\":1}",
            "both 'price' and 'close' present"),
        Arguments.of(
            HEAD
                + "\"interval\":\"1min\",\"open\":187.0,\"low\":186.9,\"close\":187.2,\"volume\":1}",
            "missing field 'high'"),
        Arguments.of(HEAD + OHLC + ",\"volume\":1}", "missing field 'interval'"),
        Arguments.of(HEAD + "\"interval\":\"1d\"," + OHLC + "}", "missing field 'volume'"),
        Arguments.of(HEAD + "\"price\":1,\"volume\":1,\"price\":2}", "duplicate field 'price'"),
        Arguments.of(
            HEAD + "\"price\":1,\"volume\":1,\"source\":null,\"source\":\"x\"}",
            "duplicate field 'source'"));
  }

  @ParameterizedTest
  @MethodSource("malformedPayloads")
  void rejectsWithAnExactReason(String payload, String reason) {
    assertThatThrownBy(() -> MarketEventCodec.parse(payload.getBytes(UTF_8)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage(reason);
  }

  @Test
  void rejectsANullPayloadLikeAnEmptyOne() {
    assertThatThrownBy(() -> MarketEventCodec.parse(null))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("empty payload");
  }

  @Test
  void rejectsInvalidUtf8AsInvalidJson() {
    byte[] payload = {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    assertThatThrownBy(() -> MarketEventCodec.parse(payload))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith("not valid JSON at line 1 column ")
        .hasMessageContaining("Invalid UTF-8");
  }
}

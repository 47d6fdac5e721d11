package dev.ticklake.orchestrator.serving;

import static dev.ticklake.orchestrator.serving.GrafanaCalls.query;
import static dev.ticklake.orchestrator.serving.GrafanaCalls.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.serving.ServingApps.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to the Grafana API and the Infinity endpoints: each case answers its status (400, 413
 * for size) with {@code {"code", "message"}} saying what was wrong and what is accepted; never a
 * 500, never a stack trace.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ServingBadInputTest {
  static final DropwizardAppExtension<TickLakeConfiguration> APP =
      ServingApps.app(ServingFixture.DIR, "bad-input");
  static final String FROM = "2026-11-19T14:00:00Z";
  static final String TO = "2026-11-19T15:00:00Z";

  @BeforeAll
  static void buildLake() {
    ServingFixture.lake();
  }

  static String one(String metric, String payload) {
    return query(FROM, TO, 100, 60_000, "[" + target(metric, "A", payload) + "]");
  }

  static Stream<Arguments> grafanaCases() {
    String big = "{\"targets\": [], \"pad\": \"" + "x".repeat(70_000) + "\"}";
    return Stream.of(
        Arguments.of(
            "/query",
            one("market.nope", "{}"),
            400,
            "unknown metric 'market.nope'; POST /grafana/metrics lists the"),
        Arguments.of(
            "/query",
            one("market.close", "{\"symbol\": \"ZZZZ\"}"),
            400,
            "unknown symbol 'ZZZZ'; known symbols: AAPL, MSFT, NVDA"),
        Arguments.of(
            "/query",
            one("market.close", "{\"symbol\": \"../../etc\"}"),
            400,
            "malformed symbol '../../etc'; a symbol is an upper-case letter then up to 14 of"
                + " A-Z 0-9 . -"),
        Arguments.of(
            "/query",
            one("market.close", "{\"interval\": \"5m\"}"),
            400,
            "unknown interval '5m'; accepted: 1m, 1d"),
        Arguments.of(
            "/query",
            query(TO, FROM, 100, 0, "[]"),
            400,
            "from (2026-11-19T15:00:00Z) is after to (2026-11-19T14:00:00Z); from must not be"
                + " later than to"),
        Arguments.of(
            "/query",
            query("2025-01-01T00:00:00Z", TO, 100, 0, "[]"),
            400,
            "time range of 687.6 days exceeds the maximum of 366 days (serving.maxRange);"
                + " narrow the range"),
        Arguments.of("/query", "{\"range\": ", 400, "body is not valid JSON"),
        Arguments.of("/query", "[1, 2]", 400, "body must be a JSON object"),
        Arguments.of("/query", "{\"targets\": []}", 400, "range is required"),
        Arguments.of(
            "/query",
            "{\"range\": {\"from\": 12, \"to\": \"" + TO + "\"}, \"targets\": []}",
            400,
            "range.from must be an ISO-8601 date-time string, got number 12"),
        Arguments.of(
            "/query",
            "{\"range\": {\"from\": \"yesterday\", \"to\": \"" + TO + "\"}, \"targets\": []}",
            400,
            "range.from must be an ISO-8601 date-time such as 2026-11-20T14:30:00Z, got"
                + " 'yesterday'"),
        Arguments.of(
            "/query",
            one("market.close", "{}")
                .replace("\"maxDataPoints\": 100", "\"maxDataPoints\": \"lots\""),
            400,
            "maxDataPoints must be a number between 2 and 1000000, got \"lots\""),
        Arguments.of(
            "/query",
            "{\"range\": {\"from\": \"" + FROM + "\", \"to\": \"" + TO + "\"}, \"targets\": {}}",
            400,
            "targets must be an array of"),
        Arguments.of(
            "/query",
            one("market.close", "{\"symbol\": 5}"),
            400,
            "payload.symbol of market.close must be a string or an array of strings"),
        Arguments.of(
            "/query",
            one("market.sma", "{\"period\": \"7\"}"),
            400,
            "unknown period '7' of market.sma; accepted: 20, 50"),
        Arguments.of(
            "/query",
            one("dq.failed", "{\"expectation\": \"nope\"}"),
            400,
            "unknown expectation 'nope' of silver/ticks; accepted: parse, valid_symbol,"
                + " ts_not_in_future, positive_prices, consistent_ohlc, non_negative_volume"),
        Arguments.of(
            "/query",
            one("pipeline.run_duration", "{\"dag\": \"nope\"}"),
            400,
            "unknown DAG 'nope'; known DAGs: hello"),
        Arguments.of(
            "/query",
            query(
                FROM,
                TO,
                100,
                0,
                "[]",
                "[{\"key\": \"symbol\", \"operator\": \"!=\"," + " \"value\": \"AAPL\"}]"),
            400,
            "unsupported ad-hoc filter operator '!='; accepted operators: ="),
        Arguments.of(
            "/query",
            query(
                FROM,
                TO,
                100,
                0,
                "[]",
                "[{\"key\": \"city\", \"operator\": \"=\"," + " \"value\": \"Berlin\"}]"),
            400,
            "unknown ad-hoc filter key 'city'; accepted keys: symbol"),
        Arguments.of("/query", big, 413, "body over 65536 bytes"),
        Arguments.of(
            "/variable",
            "{\"payload\": {\"target\": \"cities\"}}",
            400,
            "unknown variable 'cities'; accepted: symbols, intervals, metrics, dags,"
                + " expectations, quality_tables"),
        Arguments.of(
            "/variable",
            "{\"payload\": {\"target\": 3}}",
            400,
            "payload.target must be a string, got 3"),
        Arguments.of(
            "/tag-values", "{\"key\": \"city\"}", 400, "unknown tag key 'city'; accepted: symbol"),
        Arguments.of(
            "/metric-payload-options",
            "{\"metric\": \"market.close\", \"payload\": {}, \"name\": \"color\"}",
            400,
            "metric market.close has no payload 'color'; its payloads: [symbol, interval]"),
        Arguments.of(
            "/metric-payload-options",
            "{\"metric\": \"market.close\", \"payload\": {}}",
            400,
            "name is required (a string)"));
  }

  @ParameterizedTest(name = "{0} {2}: {3}")
  @MethodSource("grafanaCases")
  void grafanaRejects(String path, String body, int status, String message) {
    Answer a = ServingApps.send("POST", url("/grafana" + path), body);
    assertError(a, status, message);
  }

  static Stream<Arguments> marketCases() {
    return Stream.of(
        Arguments.of("/bars?symbol=ZZZZ", "unknown symbol 'ZZZZ'; known symbols: AAPL, MSFT, NVDA"),
        Arguments.of("/bars?symbol=AAPL&interval=2h", "unknown interval '2h'; accepted: 1m, 1d"),
        Arguments.of(
            "/bars?from=yesterday",
            "from must be an ISO-8601 date-time such as 2026-11-20T14:30:00Z or epoch millis,"
                + " got 'yesterday'"),
        Arguments.of("/anomalies?from=" + TO + "&to=" + FROM, "is after to"),
        Arguments.of(
            "/daily-metrics?from=2020-01-01T00:00:00Z&to=" + TO,
            "exceeds the maximum of 366 days"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("marketCases")
  void infinityRejects(String pathAndQuery, String message) {
    assertError(ServingApps.send("GET", url("/api/v1/market" + pathAndQuery), null), 400, message);
  }

  @Test
  void aCorrectRequestAfterBadOnesStillWorks() {
    JsonNode ok =
        new GrafanaCalls(url("")).post("/query", one("market.close", "{\"symbol\": \"MSFT\"}"));
    assertThat(ok.get(0).get("target").asText()).isEqualTo("MSFT close");
  }

  static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + path;
  }

  static void assertError(Answer a, int status, String message) {
    assertThat(a.status()).as(a.text()).isEqualTo(status);
    JsonNode body = a.json();
    List<String> fields = new java.util.ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("code", "message");
    assertThat(body.get("code").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).contains(message);
    assertThat(a.text()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}

package dev.ticklake.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The requests of one refresh of the shipped Market dashboard, built from {@code
 * dashboards/market.json} as Grafana builds them, checked request by request.
 */
class MarketDashboardTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant TO = Instant.parse("2026-11-20T14:00:00Z");
  static final Instant FROM = TO.minus(Duration.ofHours(6));

  static MarketDashboard market() throws Exception {
    return MarketDashboard.load(Path.of("..", "dashboards", "market.json"));
  }

  @Test
  void aRefreshIsOneQueryPerPanelAndDatasourcePlusInfinityAndTheAnnotation() throws Exception {
    MarketDashboard d = market();
    assertThat(d.defaultRange()).isEqualTo(Duration.ofHours(6));
    List<MarketDashboard.Request> requests = d.refresh("MSFT", FROM, TO);

    assertThat(requests)
        .extracting(MarketDashboard.Request::panel)
        .containsExactly(
            "$symbol candles ($interval) with SMA, EMA and Bollinger bands",
            "RSI (14)",
            "MACD (line, signal, histogram)",
            "Anomaly z-scores",
            "Anomalies",
            "Predictions against actual (when gold/predictions exists)",
            "Predictions against actual (when gold/predictions exists)",
            "Last close",
            "annotation Anomalies");
    assertThat(requests)
        .extracting(MarketDashboard.Request::method)
        .containsExactly("POST", "POST", "POST", "POST", "POST", "GET", "POST", "POST", "POST");

    JsonNode candles = JSON.readTree(requests.get(0).body());
    assertThat(requests.get(0).pathAndQuery()).isEqualTo("/grafana/query");
    assertThat(candles.at("/range/from").asText()).isEqualTo("2026-11-20T08:00:00Z");
    assertThat(candles.at("/range/to").asText()).isEqualTo("2026-11-20T14:00:00Z");
    // full width: 1920 points; 6 h / 1920 = 11.25 s, which Grafana rounds to 10 s
    assertThat(candles.get("maxDataPoints").asInt()).isEqualTo(1920);
    assertThat(candles.get("intervalMs").asLong()).isEqualTo(10_000);
    assertThat(candles.get("interval").asText()).isEqualTo("10s");
    assertThat(candles.get("targets"))
        .isEqualTo(
            JSON.readTree(
                "[{\"target\":\"market.candles\",\"refId\":\"A\",\"payload\":{\"symbol\":\"MSFT\","
                    + "\"interval\":\"1m\"}},"
                    + "{\"target\":\"market.sma\",\"refId\":\"B\",\"payload\":{\"symbol\":\"MSFT\","
                    + "\"interval\":\"1m\",\"period\":\"20\"}},"
                    + "{\"target\":\"market.ema\",\"refId\":\"C\",\"payload\":{\"symbol\":\"MSFT\","
                    + "\"interval\":\"1m\",\"period\":\"12\"}},"
                    + "{\"target\":\"market.bb_upper\",\"refId\":\"D\",\"payload\":{\"symbol\":"
                    + "\"MSFT\",\"interval\":\"1m\"}},"
                    + "{\"target\":\"market.bb_lower\",\"refId\":\"E\",\"payload\":{\"symbol\":"
                    + "\"MSFT\",\"interval\":\"1m\"}}]"));

    JsonNode macd = JSON.readTree(requests.get(2).body());
    // half width: 960 points; 22.5 s rounds to 20 s
    assertThat(macd.get("maxDataPoints").asInt()).isEqualTo(960);
    assertThat(macd.get("intervalMs").asLong()).isEqualTo(20_000);
    assertThat(macd.get("targets").findValuesAsText("target"))
        .containsExactly("market.macd", "market.macd_signal", "market.macd_hist");

    assertThat(requests.get(5).body()).isNull();
    assertThat(requests.get(5).pathAndQuery())
        .isEqualTo(
            "/api/v1/market/predictions?symbol=MSFT&from="
                + FROM.toEpochMilli()
                + "&to="
                + TO.toEpochMilli());
    JsonNode lastClose = JSON.readTree(requests.get(7).body());
    // a third of the width: 640 points; 33.75 s rounds to 30 s
    assertThat(lastClose.get("maxDataPoints").asInt()).isEqualTo(640);
    assertThat(lastClose.get("intervalMs").asLong()).isEqualTo(30_000);
    JsonNode annotation = JSON.readTree(requests.get(8).body());
    assertThat(annotation.get("targets"))
        .isEqualTo(
            JSON.readTree(
                "[{\"target\":\"anomalies.table\",\"refId\":\"Anno\",\"payload\":{\"symbol\":"
                    + "\"MSFT\",\"interval\":\"1m\"}}]"));
  }

  @Test
  void variablesTakeTheSymbolAndTheCurrentValues() throws Exception {
    assertThat(market().variables("TSLA"))
        .containsExactly(
            java.util.Map.entry("ds", List.of("ticklake-json")),
            java.util.Map.entry("infinity", List.of("ticklake-infinity")),
            java.util.Map.entry("symbol", List.of("TSLA")),
            java.util.Map.entry("interval", List.of("1m")));
  }

  @Test
  void intervalsRoundAsGrafanaRoundsThem() {
    assertThat(MarketDashboard.roundInterval(5)).isEqualTo(1);
    assertThat(MarketDashboard.roundInterval(11_250)).isEqualTo(10_000);
    assertThat(MarketDashboard.roundInterval(12_500)).isEqualTo(15_000);
    assertThat(MarketDashboard.roundInterval(100_000)).isEqualTo(120_000);
    assertThat(MarketDashboard.roundInterval(4_000_000_000L)).isEqualTo(31_536_000_000L);
    assertThat(MarketDashboard.intervalText(10_000)).isEqualTo("10s");
    assertThat(MarketDashboard.intervalText(120_000)).isEqualTo("2m");
    assertThat(MarketDashboard.intervalText(3_600_000)).isEqualTo("1h");
    assertThat(MarketDashboard.intervalText(500)).isEqualTo("500ms");
  }

  @Test
  void theSymbolsAreTheDemoFeedsThenNumberedOnes() {
    assertThat(DashboardBench.symbols(7))
        .containsExactly("AAPL", "GOOGL", "MSFT", "AMZN", "TSLA", "S0001", "S0002");
    assertThat(DashboardBench.symbols(3)).containsExactly("AAPL", "GOOGL", "MSFT");
  }
}

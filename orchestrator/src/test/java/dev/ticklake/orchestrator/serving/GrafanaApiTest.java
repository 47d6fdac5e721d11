package dev.ticklake.orchestrator.serving;

import static dev.ticklake.orchestrator.serving.GrafanaCalls.points;
import static dev.ticklake.orchestrator.serving.GrafanaCalls.query;
import static dev.ticklake.orchestrator.serving.GrafanaCalls.seriesNamed;
import static dev.ticklake.orchestrator.serving.GrafanaCalls.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.serving.FixtureLake.Bar;
import dev.ticklake.orchestrator.serving.FixtureLake.Trade;
import dev.ticklake.orchestrator.serving.ServingApps.Answer;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana JSON datasource API of the running service, over a lake built by the real Silver and
 * Gold jobs from fixture trades: every request and response checked against the OpenAPI contract,
 * the values checked against bars computed here from the trades, downsampling checked against
 * buckets computed here from the trades.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class GrafanaApiTest {
  static final Instant DAY1 = ServingFixture.DAY1;
  static final Instant DAY2 = ServingFixture.DAY2;
  static final String DAY1_FROM = "2026-11-19T14:00:00Z";
  static final String DAY1_TO = "2026-11-19T15:19:59Z";

  static final DropwizardAppExtension<TickLakeConfiguration> APP =
      ServingApps.app(ServingFixture.DIR, "grafana");
  static final GrafanaContract CONTRACT = GrafanaCalls.CONTRACT;
  static FixtureLake lake;
  static List<Trade> trades;

  @BeforeAll
  static void buildLake() {
    lake = ServingFixture.lake();
    trades = ServingFixture.trades();
  }

  static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + path;
  }

  static JsonNode grafana(String path, String body) {
    return new GrafanaCalls(url("")).post(path, body);
  }

  @Test
  void everyEndpointAnswersAsTheContractSays() {
    Set<String> exercised = new LinkedHashSet<>();
    Answer health = ServingApps.send("GET", url("/grafana"), null);
    assertThat(health.status()).isEqualTo(200);
    // The plugin's "Test connection" asks for the datasource URL with a trailing slash.
    assertThat(ServingApps.send("GET", url("/grafana/"), null).status()).isEqualTo(200);
    exercised.add("/");

    JsonNode metrics = grafana("/metrics", "{\"metric\": \"\", \"payload\": {}}");
    List<String> names = new ArrayList<>();
    metrics.forEach(m -> names.add(m.get("value").asText()));
    assertThat(names)
        .contains(
            "market.close",
            "market.open",
            "market.high",
            "market.low",
            "market.volume",
            "market.vwap",
            "market.trade_count",
            "market.sma_20",
            "market.rsi_14",
            "market.macd",
            "market.macd_signal",
            "market.macd_hist",
            "market.bb_upper",
            "market.obv",
            "market.sma",
            "market.ema",
            "market.candles",
            "anomalies.zscore",
            "anomalies.table",
            "daily.avg_price",
            "daily.total_volume",
            "dq.passed",
            "dq.failed",
            "dq.dropped",
            "quarantine.count",
            "quarantine.reasons",
            "pipeline.run_duration",
            "pipeline.task_duration",
            "pipeline.runs_by_state",
            "pipeline.freshness",
            "pipeline.freshness_quantiles",
            "pipeline.rows_per_hop",
            "pipeline.scheduler_heartbeat")
        .doesNotContain("predictions.table"); // no gold/predictions yet
    exercised.add("/metrics");

    JsonNode symbols =
        grafana(
            "/metric-payload-options",
            "{\"metric\": \"market.close\", \"payload\": {}, \"name\": \"symbol\"}");
    assertThat(symbols.toString())
        .isEqualTo(
            "[{\"label\":\"AAPL\",\"value\":\"AAPL\"},{\"label\":\"MSFT\",\"value\":\"MSFT\"},"
                + "{\"label\":\"NVDA\",\"value\":\"NVDA\"}]");
    JsonNode expectations =
        grafana(
            "/metric-payload-options",
            "{\"metric\": \"dq.failed\", \"payload\": {\"table\": \"silver/ticks\"},"
                + " \"name\": \"expectation\"}");
    assertThat(expectations.findValuesAsText("value"))
        .containsExactly(
            "parse",
            "valid_symbol",
            "ts_not_in_future",
            "positive_prices",
            "consistent_ohlc",
            "non_negative_volume");
    exercised.add("/metric-payload-options");

    JsonNode answer =
        grafana(
            "/query",
            query(
                DAY1_FROM,
                DAY1_TO,
                500,
                60_000,
                "["
                    + target(
                        "market.close",
                        "A",
                        "{\"symbol\": [\"AAPL\", \"MSFT\"], \"interval\": \"1m\"}")
                    + ", "
                    + target("market.candles", "B", "{\"symbol\": \"AAPL\"}")
                    + ", "
                    + target("anomalies.table", "C", "{}")
                    + ", "
                    + target("market.sma", "D", "{\"symbol\": \"MSFT\", \"period\": \"20\"}")
                    + ", "
                    + target("dq.failed", "E", "{}")
                    + ", "
                    + target("quarantine.reasons", "F", "{}")
                    + "]"));
    assertThat(answer.findValuesAsText("target"))
        .containsExactly("AAPL close", "MSFT close", "MSFT sma_20");
    List<String> kinds = new ArrayList<>();
    answer.forEach(a -> kinds.add(a.path("type").asText("timeseries")));
    assertThat(kinds)
        .containsExactly("timeseries", "timeseries", "table", "table", "timeseries", "table");
    exercised.add("/query");

    JsonNode variable =
        grafana(
            "/variable",
            "{\"payload\": {\"target\": \"symbols\"}, \"range\": {\"from\": \""
                + DAY1_FROM
                + "\", \"to\": \""
                + DAY1_TO
                + "\"}}");
    assertThat(variable.toString())
        .isEqualTo(
            "[{\"text\":\"AAPL\",\"value\":\"AAPL\"},{\"text\":\"MSFT\",\"value\":\"MSFT\"},"
                + "{\"text\":\"NVDA\",\"value\":\"NVDA\"}]");
    exercised.add("/variable");

    assertThat(grafana("/tag-keys", "{}").toString())
        .isEqualTo("[{\"type\":\"string\",\"text\":\"symbol\"}]");
    exercised.add("/tag-keys");
    assertThat(grafana("/tag-values", "{\"key\": \"symbol\"}").toString())
        .isEqualTo("[{\"text\":\"AAPL\"},{\"text\":\"MSFT\"},{\"text\":\"NVDA\"}]");
    exercised.add("/tag-values");

    assertThat(exercised).containsExactlyInAnyOrderElementsOf(CONTRACT.paths());
  }

  @Test
  void thePublishedSpecNeedsTheRowsCorrection() {
    assertThat(GrafanaContract.tableRowsDefect().toString())
        .isEqualTo("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}");
    JsonNode table = ServingApps.JSON.createArrayNode();
    try {
      table =
          ServingApps.JSON.readTree(
              "[{\"type\":\"table\",\"columns\":[{\"text\":\"time\",\"type\":\"time\"}],"
                  + "\"rows\":[[1557385723416]]}]");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(GrafanaContract.asPublished().responseErrors("post", "/query", table)).isNotEmpty();
    assertThat(CONTRACT.responseErrors("post", "/query", table)).isEmpty();
  }

  @Test
  void timeSeriesAreExactlyTheBarsOfTheTrades() {
    List<Bar> expected =
        FixtureLake.bars(trades).stream()
            .filter(b -> b.symbol().equals("AAPL") && b.start().isBefore(DAY2))
            .toList();
    assertThat(expected).hasSize(80);
    String payload = "{\"symbol\": \"AAPL\", \"interval\": \"1m\"}";
    JsonNode answer =
        grafana(
            "/query",
            query(
                DAY1_FROM,
                DAY1_TO,
                1000,
                60_000,
                "["
                    + target("market.open", "A", payload)
                    + ", "
                    + target("market.high", "B", payload)
                    + ", "
                    + target("market.low", "C", payload)
                    + ", "
                    + target("market.close", "D", payload)
                    + ", "
                    + target("market.volume", "E", payload)
                    + ", "
                    + target("market.trade_count", "F", payload)
                    + ", "
                    + target("market.vwap", "G", payload)
                    + "]"));
    Map<Long, Double> open = new LinkedHashMap<>();
    Map<Long, Double> high = new LinkedHashMap<>();
    Map<Long, Double> low = new LinkedHashMap<>();
    Map<Long, Double> close = new LinkedHashMap<>();
    Map<Long, Double> volume = new LinkedHashMap<>();
    Map<Long, Double> count = new LinkedHashMap<>();
    for (Bar b : expected) {
      long t = b.start().toEpochMilli();
      open.put(t, b.open());
      high.put(t, b.high());
      low.put(t, b.low());
      close.put(t, b.close());
      volume.put(t, (double) b.volume());
      count.put(t, (double) b.tradeCount());
    }
    assertThat(points(seriesNamed(answer, "AAPL open"))).containsExactlyEntriesOf(open);
    assertThat(points(seriesNamed(answer, "AAPL high"))).containsExactlyEntriesOf(high);
    assertThat(points(seriesNamed(answer, "AAPL low"))).containsExactlyEntriesOf(low);
    assertThat(points(seriesNamed(answer, "AAPL close"))).containsExactlyEntriesOf(close);
    assertThat(points(seriesNamed(answer, "AAPL volume"))).containsExactlyEntriesOf(volume);
    assertThat(points(seriesNamed(answer, "AAPL trade_count"))).containsExactlyEntriesOf(count);
    Map<Long, Double> vwap = points(seriesNamed(answer, "AAPL vwap"));
    assertThat(vwap.keySet()).containsExactlyElementsOf(close.keySet());
    for (Bar b : expected) {
      // Σ(p·v)/Σv summed in another order than Gold's: equal up to rounding.
      assertThat(vwap.get(b.start().toEpochMilli())).isCloseTo(b.vwap(), within(1e-9));
    }
  }

  @Test
  void longRangesAreDownsampledKeepingOhlcSemantics() {
    // 79 minutes in at most 10 epoch-aligned buckets: the fewest whole minutes m with
    // floor(79 / m) + 2 <= 10 (a range meets at most floor(span / m) + 2 aligned buckets).
    int m = 1;
    while (79 / m + 2 > 10) {
      m++;
    }
    long width = m * 60_000L;
    Map<Long, List<Trade>> buckets = new TreeMap<>();
    for (Trade t : trades) {
      if (t.symbol().equals("AAPL") && t.ts().isBefore(DAY2)) {
        buckets
            .computeIfAbsent(
                Math.floorDiv(t.ts().toEpochMilli(), width) * width, k -> new ArrayList<>())
            .add(t);
      }
    }
    List<String> expected = new ArrayList<>();
    for (Map.Entry<Long, List<Trade>> e : buckets.entrySet()) {
      List<Trade> ts = e.getValue();
      double high = ts.stream().mapToDouble(Trade::price).max().orElseThrow();
      double low = ts.stream().mapToDouble(Trade::price).min().orElseThrow();
      long volume = ts.stream().mapToLong(Trade::volume).sum();
      expected.add(
          "["
              + e.getKey()
              + ",\"AAPL\","
              + ts.get(0).price()
              + ","
              + high
              + ","
              + low
              + ","
              + ts.get(ts.size() - 1).price()
              + ","
              + volume
              + "]");
    }
    JsonNode answer =
        grafana(
            "/query",
            query(
                DAY1_FROM,
                "2026-11-19T15:19:00Z",
                10,
                1000,
                "[" + target("market.candles", "A", "{\"symbol\": \"AAPL\"}") + "]"));
    JsonNode table = answer.get(0);
    assertThat(table.get("columns").toString())
        .isEqualTo(
            "[{\"text\":\"time\",\"type\":\"time\"},{\"text\":\"symbol\",\"type\":\"string\"},"
                + "{\"text\":\"open\",\"type\":\"number\"},{\"text\":\"high\",\"type\":\"number\"},"
                + "{\"text\":\"low\",\"type\":\"number\"},{\"text\":\"close\",\"type\":\"number\"},"
                + "{\"text\":\"volume\",\"type\":\"number\"}]");
    List<String> rows = new ArrayList<>();
    table.get("rows").forEach(r -> rows.add(r.toString()));
    assertThat(rows).hasSizeLessThanOrEqualTo(10).containsExactlyElementsOf(expected);

    // intervalMs wider than a bar: 5-minute buckets, close = the last trade of each.
    JsonNode five =
        grafana(
            "/query",
            query(
                DAY1_FROM,
                DAY1_TO,
                1000,
                300_000,
                "[" + target("market.close", "A", "{\"symbol\": \"MSFT\"}") + "]"));
    Map<Long, Double> lastPerFive = new TreeMap<>();
    for (Trade t : trades) {
      if (t.symbol().equals("MSFT")) {
        lastPerFive.put(Math.floorDiv(t.ts().toEpochMilli(), 300_000L) * 300_000L, t.price());
      }
    }
    assertThat(points(five.get(0))).containsExactlyEntriesOf(lastPerFive);
  }

  @Test
  void adHocFiltersNarrowTheSymbols() {
    JsonNode answer =
        grafana(
            "/query",
            query(
                DAY1_FROM,
                DAY1_TO,
                1000,
                60_000,
                "[" + target("market.close", "A", "{\"symbol\": [\"AAPL\", \"MSFT\"]}") + "]",
                "[{\"key\": \"symbol\", \"operator\": \"=\", \"value\": \"MSFT\"}]"));
    assertThat(answer.findValuesAsText("target")).containsExactly("MSFT close");
  }

  @Test
  void aCommitAfterAQueryIsVisibleInTheNextQuery() {
    TickLakeApplication app = APP.getApplication();
    String body =
        query(
            DAY1_FROM,
            DAY1_TO,
            1000,
            60_000,
            "[" + target("market.close", "A", "{\"symbol\": \"NVDA\"}") + "]");
    assertThat(points(grafana("/query", body).get(0))).hasSize(10);
    long hits = app.lakeReader().cacheStats().hitCount();
    assertThat(points(grafana("/query", body).get(0))).hasSize(10);
    assertThat(app.lakeReader().cacheStats().hitCount())
        .as("served from the cache")
        .isGreaterThan(hits);

    List<Trade> more = new ArrayList<>();
    for (Trade t : FixtureLake.trades("NVDA", DAY1, 13, 4)) {
      if (!t.ts().isBefore(DAY1.plusSeconds(600))) {
        more.add(t);
      }
    }
    lake.ingest(more, List.of());
    List<Trade> all = new ArrayList<>(FixtureLake.trades("NVDA", DAY1, 10, 4));
    all.addAll(more);
    Map<Long, Double> expected = new LinkedHashMap<>();
    FixtureLake.bars(all).forEach(b -> expected.put(b.start().toEpochMilli(), b.close()));
    assertThat(points(grafana("/query", body).get(0)))
        .containsExactlyEntriesOf(expected)
        .hasSize(13);
  }

  @Test
  void dataQualityAndQuarantineAreTheSilverRows() {
    List<Map<String, Object>> dq =
        KernelTableReader.of(TableCatalog.SILVER_DQ_METRICS.location(lake.lakeRoot())).readLatest();
    JsonNode answer =
        grafana(
            "/query",
            query(
                "2026-11-01T00:00:00Z",
                "2027-06-01T00:00:00Z",
                1000,
                60_000,
                "["
                    + target("dq.failed", "A", "{\"table\": \"silver/ticks\"}")
                    + ", "
                    + target("quarantine.reasons", "B", "{}")
                    + "]"));
    Map<String, Double> failedByExpectation = new TreeMap<>();
    for (Map<String, Object> r : dq) {
      if ("silver/ticks".equals(r.get("table_id"))) {
        failedByExpectation.merge(
            (String) r.get("expectation"), ((Long) r.get("failed")).doubleValue(), Double::sum);
      }
    }
    Map<String, Double> served = new TreeMap<>();
    for (JsonNode s : answer) {
      if (s.has("target")) {
        double sum = 0;
        for (JsonNode p : s.get("datapoints")) {
          sum += p.get(0).asDouble();
        }
        served.put(s.get("target").asText().replace(" failed", ""), sum);
      }
    }
    assertThat(served).isEqualTo(failedByExpectation);
    assertThat(served).containsEntry("positive_prices", 1.0).containsEntry("parse", 1.0);
    JsonNode reasons = answer.get(answer.size() - 1);
    long records = 0;
    for (JsonNode row : reasons.get("rows")) {
      records += row.get(3).asLong();
    }
    assertThat(records).isEqualTo(2);
  }
}

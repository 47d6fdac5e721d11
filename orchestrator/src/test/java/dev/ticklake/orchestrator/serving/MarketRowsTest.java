package dev.ticklake.orchestrator.serving;

import static dev.ticklake.orchestrator.serving.GrafanaCalls.points;
import static dev.ticklake.orchestrator.serving.GrafanaCalls.query;
import static dev.ticklake.orchestrator.serving.GrafanaCalls.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.serving.FixtureLake.Bar;
import dev.ticklake.orchestrator.serving.ServingApps.Answer;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Await;
import dev.ticklake.testing.KernelTableReader;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Infinity endpoints ({@code /api/v1/market/...}) return exactly the Gold rows of the range,
 * and the pipeline metrics exactly what the database and the Delta log hold.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MarketRowsTest {
  static final DropwizardAppExtension<TickLakeConfiguration> APP =
      ServingApps.app(ServingFixture.DIR, "market");
  static final String FROM = "2026-11-19T14:00:00Z";
  static final String TO = "2026-11-19T23:59:59Z";
  static FixtureLake lake;

  @BeforeAll
  static void buildLake() {
    lake = ServingFixture.lake();
  }

  static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + path;
  }

  static JsonNode get(String pathAndQuery) {
    Answer a = ServingApps.send("GET", url("/api/v1/market" + pathAndQuery), null);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return a.json();
  }

  @Test
  void barsAreTheBarsOfTheTrades() {
    List<Bar> expected =
        FixtureLake.bars(ServingFixture.trades()).stream()
            .filter(b -> b.symbol().equals("MSFT"))
            .toList();
    JsonNode rows = get("/bars?symbol=MSFT&interval=1m&from=" + FROM + "&to=" + TO);
    assertThat(rows).hasSize(30);
    for (int i = 0; i < expected.size(); i++) {
      Bar b = expected.get(i);
      JsonNode r = rows.get(i);
      List<String> fields = new ArrayList<>();
      r.fieldNames().forEachRemaining(fields::add);
      assertThat(fields)
          .containsExactly(
              "symbol", "barStart", "open", "high", "low", "close", "volume", "vwap", "tradeCount");
      assertThat(r.get("symbol").asText()).isEqualTo("MSFT");
      assertThat(Instant.parse(r.get("barStart").asText())).isEqualTo(b.start());
      assertThat(r.get("open").asDouble()).isEqualTo(b.open());
      assertThat(r.get("high").asDouble()).isEqualTo(b.high());
      assertThat(r.get("low").asDouble()).isEqualTo(b.low());
      assertThat(r.get("close").asDouble()).isEqualTo(b.close());
      assertThat(r.get("volume").asLong()).isEqualTo(b.volume());
      assertThat(r.get("tradeCount").asLong()).isEqualTo(b.tradeCount());
      assertThat(r.get("vwap").asDouble()).isCloseTo(b.vwap(), within(1e-9));
    }
    // Epoch millis as Grafana's ${__from}/${__to} give them: the same rows.
    long from = Instant.parse(FROM).toEpochMilli();
    long to = Instant.parse(TO).toEpochMilli();
    assertThat(get("/bars?symbol=MSFT&from=" + from + "&to=" + to)).isEqualTo(rows);
  }

  @Test
  void indicatorsAnomaliesAndDailyMetricsAreTheRowsADeltaReaderSees() {
    JsonNode indicators = get("/indicators?symbol=AAPL&from=" + FROM + "&to=" + TO);
    List<Map<String, Object>> bars =
        kernel(TableCatalog.GOLD_BARS_1M, "AAPL", LocalDate.parse("2026-11-19"));
    assertThat(indicators).hasSize(80).hasSize(bars.size());
    for (int i = 0; i < bars.size(); i++) {
      Map<String, Object> want = bars.get(i);
      JsonNode got = indicators.get(i);
      assertThat(got.get("barStart").asText()).isEqualTo(want.get("bar_start").toString());
      // Gold column -> the served (camelCase) field.
      Map<String, String> served = new LinkedHashMap<>();
      served.put("close", "close");
      served.put("sma_20", "sma20");
      served.put("sma_50", "sma50");
      served.put("ema_12", "ema12");
      served.put("rsi_14", "rsi14");
      served.put("macd", "macd");
      served.put("macd_signal", "macdSignal");
      served.put("macd_hist", "macdHist");
      served.put("bb_upper", "bbUpper");
      served.put("bb_lower", "bbLower");
      served.put("bb_pct_b", "bbPctB");
      served.put("atr_14", "atr14");
      served.put("obv", "obv");
      served.forEach(
          (column, field) -> {
            JsonNode v = got.get(field);
            assertThat(v).as(field).isNotNull();
            assertThat(v.isNull() ? null : v.asDouble()).as(field).isEqualTo(want.get(column));
          });
    }

    JsonNode anomalies = get("/anomalies?symbol=AAPL&from=" + FROM + "&to=" + TO);
    assertThat(anomalies.findValuesAsText("direction")).containsExactly("down", "up");
    assertThat(anomalies.findValuesAsText("barStart"))
        .containsExactly("2026-11-19T15:10:00Z", "2026-11-19T15:11:00Z");
    List<Map<String, Object>> want =
        kernel(TableCatalog.GOLD_ANOMALIES, "AAPL", LocalDate.parse("2026-11-19"));
    for (int i = 0; i < want.size(); i++) {
      assertThat(anomalies.get(i).get("zscore").asDouble()).isEqualTo(want.get(i).get("zscore"));
      assertThat(anomalies.get(i).get("logReturn").asDouble())
          .isEqualTo(want.get(i).get("log_return"));
    }

    JsonNode daily =
        get("/daily-metrics?symbol=AAPL&from=2026-11-19T00:00:00Z&to=2026-11-20T23:00:00Z");
    List<Map<String, Object>> days =
        KernelTableReader.sorted(
            KernelTableReader.of(TableCatalog.GOLD_DAILY_METRICS.location(lake.lakeRoot()))
                .readLatest()
                .stream()
                .filter(r -> "AAPL".equals(r.get("symbol")))
                .toList(),
            "trading_date");
    assertThat(daily).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(daily.get(i).get("tradingDate").asText())
          .isEqualTo(days.get(i).get("trading_date").toString());
      assertThat(daily.get(i).get("avgPrice").asDouble()).isEqualTo(days.get(i).get("avg_price"));
      assertThat(daily.get(i).get("totalVolume").asLong())
          .isEqualTo(days.get(i).get("total_volume"));
    }
    assertThat(get("/predictions?symbol=AAPL&from=" + FROM + "&to=" + TO)).isEmpty();
  }

  @Test
  void pipelineMetricsAreWhatTheDatabaseAndTheLogHold() throws Exception {
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url("/api/v1/dags/hello/runs")))
                    .header("Authorization", basic())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    GrafanaCalls grafana = new GrafanaCalls(url(""));
    String from = Instant.now().minus(Duration.ofHours(1)).toString();
    String to = Instant.now().plus(Duration.ofHours(1)).toString();
    String byState =
        query(
            from,
            to,
            100,
            1000,
            "[" + target("pipeline.runs_by_state", "A", "{\"dag\": \"hello\"}") + "]");
    JsonNode table =
        Await.until(
            Duration.ofSeconds(30),
            "the hello run to succeed",
            () -> grafana.post("/query", byState).get(0),
            t -> t.get("rows").toString().equals("[[\"hello\",\"success\",1]]"));
    assertThat(table.get("columns").toString())
        .isEqualTo(
            "[{\"text\":\"dag_id\",\"type\":\"string\"},{\"text\":\"state\",\"type\":\"string\"},"
                + "{\"text\":\"runs\",\"type\":\"number\"}]");
    JsonNode durations =
        grafana.post(
            "/query",
            query(from, to, 100, 1000, "[" + target("pipeline.task_duration", "A", "{}") + "]"));
    assertThat(durations.findValuesAsText("target"))
        .containsExactly("hello a duration_seconds", "hello b duration_seconds");
    // The same runs as flat rows: the API's camelCase field names.
    JsonNode runRows = pipelineRows("/runs?dag=hello&from=" + from + "&to=" + to);
    assertThat(runRows).hasSize(1);
    List<String> runFields = new ArrayList<>();
    runRows.get(0).fieldNames().forEachRemaining(runFields::add);
    assertThat(runFields).containsExactly("time", "dagId", "runId", "state", "durationSeconds");
    assertThat(runRows.get(0).get("dagId").asText()).isEqualTo("hello");

    // Freshness of gold/bars_1m's first commit: its commit time minus its newest bar.
    JsonNode commit0 =
        commitInfo(Path.of(lake.lakeRoot(), "gold/bars_1m/_delta_log/00000000000000000000.json"));
    long committed = commit0.get("timestamp").asLong();
    long newestBar = Instant.parse("2026-11-20T14:04:00Z").toEpochMilli();
    JsonNode freshness =
        grafana.post(
            "/query",
            query(
                Instant.ofEpochMilli(committed - 1000).toString(),
                Instant.ofEpochMilli(committed).toString(),
                100,
                0, // no interval: points keep their commit time (not a bucket start)
                "[" + target("pipeline.freshness", "A", "{\"table\": \"gold/bars_1m\"}") + "]"));
    Map<Long, Double> expected = new LinkedHashMap<>();
    expected.put(committed, (committed - newestBar) / 1000.0);
    assertThat(points(freshness.get(0))).containsExactlyEntriesOf(expected);
  }

  @Test
  void pipelineRowsAreTheDatabaseAndSilverRows() throws Exception {
    String from = Instant.now().minus(Duration.ofHours(1)).toString();
    String to = Instant.now().plus(Duration.ofHours(1)).toString();
    JsonNode quality = pipelineRows("/quality?table=silver/ticks&from=" + from + "&to=" + to);
    List<Map<String, Object>> dq =
        KernelTableReader.of(TableCatalog.SILVER_DQ_METRICS.location(lake.lakeRoot()))
            .readLatest()
            .stream()
            .filter(r -> "silver/ticks".equals(r.get("table_id")))
            .toList();
    assertThat(quality).hasSize(dq.size());
    Map<String, Long> failedServed = new java.util.TreeMap<>();
    quality.forEach(
        r ->
            failedServed.merge(r.get("expectation").asText(), r.get("failed").asLong(), Long::sum));
    Map<String, Long> failedRead = new java.util.TreeMap<>();
    dq.forEach(
        r -> failedRead.merge((String) r.get("expectation"), (Long) r.get("failed"), Long::sum));
    assertThat(failedServed).isEqualTo(failedRead).containsEntry("positive_prices", 1L);

    JsonNode quarantine = pipelineRows("/quarantine?from=" + from + "&to=" + to);
    assertThat(quarantine.findValuesAsText("payload"))
        .containsExactlyInAnyOrder(
            "not json",
            "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-19T14:10:00Z\",\"price\":-5.0,\"volume\":10}");

    JsonNode commits = pipelineRows("/commits?table=gold/bars_1m&from=" + from + "&to=" + to);
    assertThat(commits.get(0).get("version").asLong()).isZero();
    assertThat(commits.get(0).get("newestEvent").asText()).isEqualTo("2026-11-20T14:04:00Z");
    assertThat(commits.get(0).get("rowsAdded").asLong())
        .as("one row per bar of the first batch")
        .isEqualTo(FixtureLake.bars(ServingFixture.trades()).size());

    Answer bad = ServingApps.send("GET", url("/api/v1/pipeline/runs?dag=nope"), null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("message").asText())
        .startsWith("unknown DAG 'nope'; known DAGs: hello");
    Answer badTable = ServingApps.send("GET", url("/api/v1/pipeline/commits?table=gold/x"), null);
    assertThat(badTable.status()).isEqualTo(400);
    assertThat(badTable.json().get("message").asText())
        .isEqualTo(
            "unknown table 'gold/x' for commits; accepted: [bronze/ticks, silver/ticks,"
                + " gold/bars_1m, gold/bars_1d]");
  }

  static JsonNode pipelineRows(String pathAndQuery) {
    Answer a = ServingApps.send("GET", url("/api/v1/pipeline" + pathAndQuery), null);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return a.json();
  }

  private static JsonNode commitInfo(Path commitFile) throws Exception {
    for (String line : Files.readAllLines(commitFile)) {
      JsonNode action = ServingApps.JSON.readTree(line);
      if (action.has("commitInfo")) {
        return action.get("commitInfo");
      }
    }
    throw new AssertionError("no commitInfo in " + commitFile);
  }

  private static String basic() {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                ("admin:" + TestApps.ADMIN_PASSWORD)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static List<Map<String, Object>> kernel(
      dev.ticklake.schemas.catalog.TableDef table, String symbol, LocalDate day) {
    return KernelTableReader.sorted(
        KernelTableReader.of(table.location(lake.lakeRoot())).readLatest().stream()
            .filter(r -> symbol.equals(r.get("symbol")) && day.equals(r.get("trade_date")))
            .toList(),
        "bar_start");
  }
}

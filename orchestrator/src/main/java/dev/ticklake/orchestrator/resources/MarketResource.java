package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.serving.MarketData;
import dev.ticklake.orchestrator.serving.MarketData.Interval;
import dev.ticklake.orchestrator.serving.RowSet;
import dev.ticklake.schemas.catalog.TableCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flat JSON rows of Gold for Grafana's Infinity datasource (and any HTTP client), under {@code
 * /api/v1/market}: {@code /bars}, {@code /indicators}, {@code /anomalies}, {@code /predictions},
 * {@code /daily-metrics}. Parameters: {@code symbol} (comma-separated or repeated; all symbols when
 * absent), {@code interval} ({@code 1m} default, {@code 1d}), {@code from}/{@code to} (ISO-8601 or
 * epoch millis as Grafana's {@code ${__from}}; default: the last 24 hours). One JSON object per
 * row, with the table's column names in camelCase ({@link FieldNames}); timestamps ISO-8601 UTC,
 * dates {@code yyyy-MM-dd}. Rows are sorted by symbol then time. 400 for a bad parameter. Same read
 * layer and cache as {@code /grafana}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class MarketResource {

  /** The indicator columns of the bar tables ({@code /indicators}). */
  static final List<String> INDICATORS =
      List.of(
          "sma_20",
          "sma_50",
          "ema_12",
          "ema_26",
          "rsi_14",
          "macd",
          "macd_signal",
          "macd_hist",
          "bb_upper",
          "bb_middle",
          "bb_lower",
          "bb_pct_b",
          "atr_14",
          "volatility_20",
          "obv");

  private final MarketData market;
  private final Clock clock;

  public MarketResource(MarketData market, Clock clock) {
    this.market = market;
    this.clock = clock;
  }

  /** The symbols with bars in Gold, sorted ({@code []} before the first Gold build). */
  @GET
  @Path("market/symbols")
  public List<String> symbols() {
    return market.exists(Interval.ONE_DAY.table()) ? market.symbols() : List.of();
  }

  @GET
  @Path("market/bars")
  public List<Map<String, Object>> bars(
      @QueryParam("symbol") List<String> symbol,
      @QueryParam("interval") String interval,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = range(from, to);
    Interval i = Interval.parse(interval);
    List<String> cols =
        List.of(
            "symbol", "bar_start", "open", "high", "low", "close", "volume", "vwap", "trade_count");
    return rows(market.read(i.table(), symbols(symbol), r.from(), r.to(), cols));
  }

  @GET
  @Path("market/indicators")
  public List<Map<String, Object>> indicators(
      @QueryParam("symbol") List<String> symbol,
      @QueryParam("interval") String interval,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = range(from, to);
    Interval i = Interval.parse(interval);
    List<String> cols = new ArrayList<>(List.of("symbol", "bar_start", "close"));
    cols.addAll(INDICATORS);
    return rows(market.read(i.table(), symbols(symbol), r.from(), r.to(), cols));
  }

  @GET
  @Path("market/anomalies")
  public List<Map<String, Object>> anomalies(
      @QueryParam("symbol") List<String> symbol,
      @QueryParam("interval") String interval,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = range(from, to);
    return rows(market.anomalies(Interval.parse(interval), symbols(symbol), r.from(), r.to()));
  }

  @GET
  @Path("market/daily-metrics")
  public List<Map<String, Object>> dailyMetrics(
      @QueryParam("symbol") List<String> symbol,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = range(from, to);
    return rows(
        market.read(
            TableCatalog.GOLD_DAILY_METRICS.id(), symbols(symbol), r.from(), r.to(), List.of()));
  }

  /** Model scores; an empty list until the ML pipeline has written {@code gold/predictions}. */
  @GET
  @Path("market/predictions")
  public List<Map<String, Object>> predictions(
      @QueryParam("symbol") List<String> symbol,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    RangeParams.Range r = range(from, to);
    return rows(
        market.read(
            TableCatalog.GOLD_PREDICTIONS.id(), symbols(symbol), r.from(), r.to(), List.of()));
  }

  private RangeParams.Range range(String fromText, String toText) {
    return RangeParams.parse(fromText, toText, clock, market);
  }

  private static List<String> symbols(List<String> params) {
    List<String> out = new ArrayList<>();
    for (String p : params) {
      for (String s : p.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  /** Rows as flat objects; times ISO-8601, dates yyyy-MM-dd. */
  static List<Map<String, Object>> rows(RowSet rows) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Object[] row : rows.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < row.length; i++) {
        Object v = row[i];
        m.put(
            FieldNames.camelCase(rows.columns().get(i)),
            v instanceof Instant || v instanceof LocalDate ? v.toString() : v);
      }
      out.add(m);
    }
    return out;
  }
}

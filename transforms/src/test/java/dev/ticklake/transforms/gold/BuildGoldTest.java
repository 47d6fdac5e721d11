package dev.ticklake.transforms.gold;

import static dev.ticklake.transforms.gold.GoldLake.bar;
import static dev.ticklake.transforms.gold.GoldLake.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.CommitOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gold from Silver in one batch: a hand-made dataset, and a generated one against a reference. */
class BuildGoldTest {
  @TempDir Path dir;

  @Test
  void handMadeBarsHaveExactOhlcvVwapCountsTiesGapsAndDailyMetrics() {
    GoldLake lake = new GoldLake(dir.toString());
    lake.writeSilver(
        List.of(
            // Two trades at the same ts: source "b2" comes before "b3" (open 100, not 101).
            trade("AAPL", "2026-11-19T14:30:05Z", 100.0, 10, "b2"),
            trade("AAPL", "2026-11-19T14:30:05Z", 101.0, 20, "b3"),
            trade("AAPL", "2026-11-19T14:30:40Z", 99.5, 30, "b1"),
            // 14:31 has no event: no bar. A 1min bar event and a trade make 14:32.
            bar("AAPL", "2026-11-19T14:32:00Z", "1min", 100.0, 102.0, 99.0, 101.0, 60),
            trade("AAPL", "2026-11-19T14:32:30Z", 101.5, 40, "b1"),
            // A daily bar feeds bars_1d and daily_metrics only.
            bar("AAPL", "2026-11-20T00:00:00Z", "1d", 102.0, 104.0, 101.0, 103.5, 1000),
            trade("AAPL", "2026-11-20T14:30:00Z", 103.0, 5, "b1"),
            trade("MSFT", "2026-11-19T14:30:10Z", 300.0, 7, "b1")));

    assertThat(lake.runGold())
        .containsOnlyKeys(GoldLake.GOLD.stream().map(t -> t.id()).toArray(String[]::new))
        .allSatisfy(
            (table, status) -> assertThat(status).isEqualTo(CommitOutcome.Status.COMMITTED));

    double typical = (102.0 + 99.0 + 101.0) / 3;
    List<Map<String, Object>> minute = lake.rows(TableCatalog.GOLD_BARS_1M);
    assertThat(minute.stream().map(GoldLakeRows::ohlcv).toList())
        .containsExactly(
            List.of(
                "AAPL",
                "2026-11-19T14:30:00Z",
                100.0,
                101.0,
                99.5,
                99.5,
                60L,
                (100.0 * 10 + 101.0 * 20 + 99.5 * 30) / 60,
                3L),
            List.of(
                "AAPL",
                "2026-11-19T14:32:00Z",
                100.0,
                102.0,
                99.0,
                101.5,
                100L,
                (typical * 60 + 101.5 * 40) / 100,
                2L),
            List.of("AAPL", "2026-11-20T14:30:00Z", 103.0, 103.0, 103.0, 103.0, 5L, 103.0, 1L),
            List.of("MSFT", "2026-11-19T14:30:00Z", 300.0, 300.0, 300.0, 300.0, 7L, 300.0, 1L));
    // OBV runs over the symbol's series across days: 0, +100 (close rose), +5 (rose again).
    assertThat(minute.stream().map(r -> r.get("obv")).toList())
        .containsExactly(0.0, 100.0, 105.0, 0.0);
    assertThat(minute).allSatisfy(r -> assertThat(r.get("sma_20")).isNull());

    assertThat(lake.rows(TableCatalog.GOLD_BARS_1D).stream().map(GoldLakeRows::ohlcv).toList())
        .containsExactly(
            List.of(
                "AAPL",
                "2026-11-19T00:00:00Z",
                100.0,
                102.0,
                99.0,
                101.5,
                160L,
                (100.0 * 10 + 101.0 * 20 + 99.5 * 30 + typical * 60 + 101.5 * 40) / 160,
                5L),
            List.of(
                "AAPL",
                "2026-11-20T00:00:00Z",
                102.0,
                104.0,
                101.0,
                103.0,
                1005L,
                ((104.0 + 101.0 + 103.5) / 3 * 1000 + 103.0 * 5) / 1005,
                2L),
            List.of("MSFT", "2026-11-19T00:00:00Z", 300.0, 300.0, 300.0, 300.0, 7L, 300.0, 1L));

    assertThat(lake.rows(TableCatalog.GOLD_DAILY_METRICS))
        .containsExactly(
            metric("2026-11-19", "AAPL", (100.0 + 101.0 + 99.5 + 101.0 + 101.5) / 5, 160),
            metric("2026-11-19", "MSFT", 300.0, 7),
            metric("2026-11-20", "AAPL", (103.5 + 103.0) / 2, 1005));
    assertThat(lake.rows(TableCatalog.GOLD_ANOMALIES)).isEmpty();
  }

  @Test
  void generatedMarketEqualsTheIndependentReferenceInEveryColumnOfEveryTable() {
    GoldLake lake = new GoldLake(dir.toString());
    List<GenericRecord> silver = GoldLake.generate(42L, List.of("AAPL", "GOOG", "MSFT"), 2);
    lake.writeSilver(silver);
    lake.runGold();

    GoldReference want = new GoldReference(silver, 60, 3.0);
    assertThat(want.anomalies).isNotEmpty();
    assertThat(want.bars1m).hasSizeGreaterThan(3 * 2 * 100);
    GoldReference.assertSameRows(
        lake.rows(TableCatalog.GOLD_BARS_1M), want.bars1m, "symbol", "bar_start");
    GoldReference.assertSameRows(
        lake.rows(TableCatalog.GOLD_BARS_1D), want.bars1d, "symbol", "bar_start");
    GoldReference.assertSameRows(
        lake.rows(TableCatalog.GOLD_ANOMALIES), want.anomalies, "symbol", "bar_start");
    GoldReference.assertSameRows(
        lake.rows(TableCatalog.GOLD_DAILY_METRICS), want.dailyMetrics, "trading_date", "symbol");
  }

  private static Map<String, Object> metric(String date, String symbol, double avg, long volume) {
    return Map.of(
        "trading_date", LocalDate.parse(date),
        "symbol", symbol,
        "avg_price", avg,
        "total_volume", volume);
  }

  /** The aggregate columns of a bar row, in schema order, for compact exact assertions. */
  static final class GoldLakeRows {
    static List<Object> ohlcv(Map<String, Object> r) {
      return List.of(
          r.get("symbol"),
          ((Instant) r.get("bar_start")).toString(),
          r.get("open"),
          r.get("high"),
          r.get("low"),
          r.get("close"),
          r.get("volume"),
          r.get("vwap"),
          r.get("trade_count"));
    }
  }
}

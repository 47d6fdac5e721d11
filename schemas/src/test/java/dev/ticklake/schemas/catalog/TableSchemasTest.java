package dev.ticklake.schemas.catalog;

import static dev.ticklake.schemas.catalog.TableCatalogTest.columns;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The exact columns of every table other than the two checked in {@link TableCatalogTest}. */
class TableSchemasTest {

  @Test
  void silverQuarantine() {
    assertThat(TableCatalog.SILVER_QUARANTINE.schema().getName()).isEqualTo("QuarantinedRecord");
    assertThat(columns(TableCatalog.SILVER_QUARANTINE))
        .containsExactly(
            "payload:bytes?",
            "source_table:string",
            "source_version:long?",
            "kafka_partition:int?",
            "kafka_offset:long?",
            "stage:string",
            "expectation:string?",
            "reason:string",
            "batch_id:string",
            "quarantined_at:timestamp-micros",
            "quarantine_date:date");
  }

  @Test
  void silverDqMetrics() {
    assertThat(TableCatalog.SILVER_DQ_METRICS.schema().getName()).isEqualTo("DataQualityMetric");
    assertThat(columns(TableCatalog.SILVER_DQ_METRICS))
        .containsExactly(
            "run_id:string",
            "batch_id:string",
            "table_id:string",
            "expectation:string",
            "action:string",
            "passed:long",
            "failed:long",
            "dropped:long",
            "recorded_at:timestamp-micros",
            "metric_date:date");
  }

  @Test
  void goldBars() {
    assertThat(columns(TableCatalog.GOLD_BARS_1M))
        .containsExactly(
            "symbol:string",
            "bar_start:timestamp-micros",
            "trade_date:date",
            "open:double",
            "high:double",
            "low:double",
            "close:double",
            "volume:long",
            "vwap:double",
            "trade_count:long",
            "sma_20:double?",
            "sma_50:double?",
            "ema_12:double?",
            "ema_26:double?",
            "rsi_14:double?",
            "macd:double?",
            "macd_signal:double?",
            "macd_hist:double?",
            "bb_upper:double?",
            "bb_middle:double?",
            "bb_lower:double?",
            "bb_pct_b:double?",
            "atr_14:double?",
            "volatility_20:double?",
            "obv:double?");
  }

  @Test
  void goldAnomalies() {
    assertThat(TableCatalog.GOLD_ANOMALIES.schema().getName()).isEqualTo("Anomaly");
    assertThat(columns(TableCatalog.GOLD_ANOMALIES))
        .containsExactly(
            "symbol:string",
            "bar_start:timestamp-micros",
            "trade_date:date",
            "interval:string",
            "close:double",
            "log_return:double",
            "zscore:double",
            "direction:string",
            "window:int",
            "threshold:double");
  }

  @Test
  void goldDailyMetrics() {
    assertThat(TableCatalog.GOLD_DAILY_METRICS.schema().getName()).isEqualTo("DailyMetric");
    assertThat(columns(TableCatalog.GOLD_DAILY_METRICS))
        .containsExactly(
            "trading_date:date", "symbol:string", "avg_price:double", "total_volume:long");
  }

  @Test
  void goldBarState() {
    assertThat(TableCatalog.GOLD_BAR_STATE.schema().getName()).isEqualTo("BarState");
    assertThat(columns(TableCatalog.GOLD_BAR_STATE))
        .containsExactly(
            "symbol:string",
            "trade_date:date",
            "last_ts:timestamp-micros",
            "last_source:string",
            "last_event_id:string",
            "event_count:long",
            "close_sum:double",
            "day_open:double",
            "day_high:double",
            "day_low:double",
            "day_close:double",
            "day_volume:long",
            "day_price_volume:double",
            "minute_start:timestamp-micros?",
            "minute_open:double?",
            "minute_high:double?",
            "minute_low:double?",
            "minute_close:double?",
            "minute_volume:long?",
            "minute_price_volume:double?",
            "minute_count:long?");
  }

  @Test
  void goldFeatures() {
    assertThat(columns(TableCatalog.GOLD_FEATURES))
        .containsExactly(
            "symbol:string",
            "interval:string",
            "bar_start:timestamp-micros",
            "trade_date:date",
            "close:double",
            "ret_1:double?",
            "ret_2:double?",
            "ret_3:double?",
            "ret_4:double?",
            "ret_5:double?",
            "close_sma_20:double?",
            "close_sma_50:double?",
            "ema_spread:double?",
            "rsi_14:double?",
            "macd_hist:double?",
            "bb_pct_b:double?",
            "bb_width:double?",
            "atr_rel:double?",
            "volatility_20:double?",
            "volume_z:double?",
            "obv_slope_5:double?",
            "day_of_week:double?",
            "month:double?",
            "minute_of_day:double?",
            "label_up_next:int?",
            "label_return_next:double?",
            "label_close_next:double?");
  }

  @Test
  void goldModels() {
    assertThat(columns(TableCatalog.GOLD_MODELS))
        .containsExactly(
            "model_id:string",
            "kind:string",
            "scope:string",
            "interval:string",
            "algorithm:string",
            "params_json:string",
            "feature_names_json:string",
            "features_version:long",
            "train_from:timestamp-micros",
            "train_to:timestamp-micros",
            "rows_trained:long",
            "fold_metrics_json:string",
            "oos_metrics_json:string",
            "baseline_metrics_json:string",
            "importance_json:string",
            "booster:bytes",
            "booster_sha256:string",
            "champion:boolean",
            "champion_reason:string",
            "code_version:string",
            "created_at:timestamp-micros");
  }

  @Test
  void goldPredictions() {
    assertThat(columns(TableCatalog.GOLD_PREDICTIONS))
        .containsExactly(
            "model_id:string",
            "symbol:string",
            "interval:string",
            "bar_start:timestamp-micros",
            "trade_date:date",
            "close:double",
            "probability_up:double",
            "predicted_up:int",
            "predicted_return:double?",
            "predicted_close:double?",
            "return_model_id:string?",
            "features_version:long",
            "realised_up:int?",
            "realised_return:double?",
            "realised_close:double?",
            "scored_at:timestamp-micros");
  }

  @Test
  void goldBacktests() {
    assertThat(columns(TableCatalog.GOLD_BACKTESTS))
        .containsExactly(
            "backtest_id:string",
            "strategy:string",
            "symbol:string",
            "row_kind:string",
            "bar_start:timestamp-micros",
            "position:int",
            "equity:double",
            "from_ts:timestamp-micros",
            "to_ts:timestamp-micros",
            "total_return:double?",
            "sharpe:double?",
            "max_drawdown:double?",
            "trades:long?",
            "costs_paid:double?",
            "model_id:string?",
            "params_json:string",
            "created_at:timestamp-micros",
            "created_date:date");
  }

  @Test
  void nullableColumnsDefaultToNull() {
    for (TableDef table : TableCatalog.all()) {
      table.schema().getFields().stream()
          .filter(field -> field.schema().isNullable())
          .forEach(
              field ->
                  assertThat(
                          field.hasDefaultValue()
                              && field.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE)
                      .as(table.id() + "." + field.name())
                      .isTrue());
    }
  }
}

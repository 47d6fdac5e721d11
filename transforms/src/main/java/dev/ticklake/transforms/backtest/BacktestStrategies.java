package dev.ticklake.transforms.backtest;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.features.FeatureRecords;
import dev.ticklake.transforms.features.FeatureRow;
import dev.ticklake.transforms.features.FeaturesBatch;
import dev.ticklake.transforms.training.XgbParams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code backtest} run: every symbol of a {@code gold/features} snapshot, per symbol on one
 * worker ({@link SymbolBacktest}), → {@code gold/backtests}: an equity row per out-of-sample bar
 * and strategy, and a summary row per strategy (total return, annualised Sharpe, max drawdown,
 * trades, costs). Appended in one commit with {@code SetTransaction("gold/backtests:gold/features",
 * featuresVersion)}: a features version is backtested once; a re-run is SKIPPED.
 *
 * <p>Symbols with too few bars are skipped and counted ({@code backtest.symbols_skipped}).
 * Deterministic for the same features, model and settings (the Q-learning trader is seeded).
 */
public final class BacktestStrategies extends PTransform<PBegin, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BacktestStrategies.class);
  static final Schema SCHEMA = TableCatalog.GOLD_BACKTESTS.schema();

  /**
   * What a run uses.
   *
   * @param testFraction the last share of each symbol's bars that is the out-of-sample period
   * @param xgb settings of the signal strategy's model (null: no {@code xgboost_signal})
   */
  public record Plan(
      String lakeRoot,
      long featuresVersion,
      double testFraction,
      XgbParams xgb,
      QLearningTrader.Settings settings,
      long createdAtMicros)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The id of the run: features version, model and seed. */
    public String backtestId() {
      return "bt-f" + featuresVersion + "-s" + settings.seed();
    }

    public static String appId() {
      return TableCatalog.GOLD_BACKTESTS.id() + ":" + TableCatalog.GOLD_FEATURES.id();
    }
  }

  private final Plan plan;
  private final Map<String, String> commitInfo;

  private BacktestStrategies(Plan plan, Map<String, String> commitInfo) {
    this.plan = Objects.requireNonNull(plan);
    this.commitInfo = Map.copyOf(commitInfo);
  }

  public static BacktestStrategies of(Plan plan) {
    return new BacktestStrategies(plan, Map.of());
  }

  public BacktestStrategies withCommitInfo(Map<String, String> info) {
    return new BacktestStrategies(plan, info);
  }

  @Override
  public PCollection<CommitOutcome> expand(PBegin begin) {
    return begin
        .apply(
            "ReadFeatures",
            DeltaIO.read()
                .from(CatalogTables.spec(TableCatalog.GOLD_FEATURES, plan.lakeRoot()))
                .atVersion(plan.featuresVersion())
                .withPartitionFilter(p -> FeaturesBatch.INTERVAL.equals(p.get("interval"))))
        .apply(
            "KeyBySymbol",
            WithKeys.of((GenericRecord r) -> r.get("symbol").toString())
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, FeatureRecords.SCHEMA)))
        .apply("GroupBySymbol", GroupByKey.create())
        .apply("RunStrategies", ParDo.of(new RunFn(plan)))
        .setCoder(AvroCoder.of(GenericRecord.class, SCHEMA))
        .apply(
            "WriteBacktests",
            DeltaIO.write()
                .to(CatalogTables.spec(TableCatalog.GOLD_BACKTESTS, plan.lakeRoot()))
                .withTransaction(Plan.appId(), plan.featuresVersion())
                .withCommitInfo(commitInfo));
  }

  static final class RunFn extends DoFn<KV<String, Iterable<GenericRecord>>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;
    private final Counter skipped = Metrics.counter("backtest", "symbols_skipped");
    private final Counter tested = Metrics.counter("backtest", "symbols_tested");

    RunFn(Plan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<GenericRecord>> symbolRows,
        OutputReceiver<GenericRecord> out) {
      List<FeatureRow> rows = new ArrayList<>();
      for (GenericRecord r : symbolRows.getValue()) {
        rows.add(FeatureRecords.fromRecord(r));
      }
      rows.sort(Comparator.comparingLong(FeatureRow::barStartMicros));
      SymbolBacktest.Run run;
      try {
        run = SymbolBacktest.run(rows, plan.testFraction(), plan.xgb(), plan.settings());
      } catch (IllegalArgumentException tooFew) {
        skipped.inc();
        LOG.warn("backtest: skipped {}: {}", symbolRows.getKey(), tooFew.getMessage());
        return;
      }
      tested.inc();
      long[] bars = run.frame().longColumn("bar_start").asLongArray();
      String params = paramsJson(plan);
      for (SymbolBacktest.Outcome o : run.outcomes()) {
        Backtest.Result r = o.result();
        for (int i = 0; i < bars.length; i++) {
          GenericRecord row = base(symbolRows.getKey(), o.strategy(), bars, params);
          row.put("row_kind", "equity");
          row.put("bar_start", bars[i]);
          row.put(
              "position",
              i < r.positions().length
                  ? r.positions()[i]
                  : r.positions()[r.positions().length - 1]);
          row.put("equity", r.equity()[i]);
          out.output(row);
        }
        GenericRecord summary = base(symbolRows.getKey(), o.strategy(), bars, params);
        summary.put("row_kind", "summary");
        summary.put("bar_start", bars[bars.length - 1]);
        summary.put("position", r.positions()[r.positions().length - 1]);
        summary.put("equity", r.equity()[r.equity().length - 1]);
        summary.put("total_return", r.totalReturn());
        summary.put("sharpe", Double.isNaN(r.sharpe()) ? null : r.sharpe());
        summary.put("max_drawdown", r.maxDrawdown());
        summary.put("trades", r.trades());
        summary.put("costs_paid", r.costsPaid());
        out.output(summary);
      }
    }

    private GenericRecord base(String symbol, String strategy, long[] bars, String params) {
      GenericRecord row = new GenericData.Record(SCHEMA);
      row.put("backtest_id", plan.backtestId());
      row.put("strategy", strategy);
      row.put("symbol", symbol);
      row.put("from_ts", bars[0]);
      row.put("to_ts", bars[bars.length - 1]);
      row.put("model_id", null);
      row.put("params_json", params);
      row.put("created_at", plan.createdAtMicros());
      row.put("created_date", FeatureRecords.tradeDate(plan.createdAtMicros()));
      return row;
    }

    private static String paramsJson(Plan plan) {
      QLearningTrader.Settings s = plan.settings();
      return String.format(
          java.util.Locale.ROOT,
          "{\"test_fraction\":%s,\"cost\":%s,\"q_episodes\":%d,\"q_alpha\":%s,\"q_gamma\":%s,\"q_epsilon\":%s,"
              + "\"allow_short\":%s,\"seed\":%d,\"signal_threshold\":0.5}",
          plan.testFraction(),
          s.cost(),
          s.episodes(),
          s.alpha(),
          s.gamma(),
          s.epsilon(),
          s.allowShort(),
          s.seed());
    }
  }
}

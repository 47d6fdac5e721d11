package dev.ticklake.transforms.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.indicators.Bar;
import io.delta.standalone.actions.AddFile;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildFeaturesTest {
  @TempDir Path dir;

  @Test
  void writesEachSymbolsFeatureRowsAndRecomputesOnlyTouchedSymbols() {
    FeatureLake lake = new FeatureLake(dir.toString());
    List<Bar> aaa = FeatureSeriesTest.fixture(80, 1);
    List<Bar> bbb = FeatureSeriesTest.fixture(60, 2);
    lake.writeDailyBars("AAA", aaa);
    lake.writeDailyBars("BBB", bbb);

    assertThat(lake.buildFeatures(Runners.direct())).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertRowsEqual(lake, Map.of("AAA", aaa, "BBB", bbb));
    DeltaTable features = DeltaTable.at(TableCatalog.GOLD_FEATURES.location(lake.root));
    assertThat(features.txnVersion(FeaturesBatch.appId())).isEqualTo(1);
    Set<String> bbbFiles = files(features, "BBB");

    // AAA gets one more day: only AAA is recomputed; its former last row gets its labels
    List<Bar> aaaLonger = FeatureSeriesTest.fixture(81, 1);
    lake.writeDailyBars("AAA", aaaLonger);
    FeaturesBatch batch = FeaturesBatch.plan(lake.root);
    assertThat(batch.touchedSymbols()).containsExactly("AAA");
    assertThat(FeatureLake.run(Runners.direct(), batch)).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertRowsEqual(lake, Map.of("AAA", aaaLonger, "BBB", bbb));
    assertThat(files(features, "BBB")).isEqualTo(bbbFiles);

    // the same batch again commits nothing; a new plan has no work
    assertThat(FeatureLake.run(Runners.direct(), batch)).isEqualTo(CommitOutcome.Status.SKIPPED);
    assertThat(FeaturesBatch.plan(lake.root).hasWork()).isFalse();
  }

  @Test
  void minuteFeaturesGoToTheirOwnPartitionsWithTheirOwnPosition() {
    FeatureLake lake = new FeatureLake(dir.toString());
    List<Bar> daily = FeatureSeriesTest.fixture(60, 1);
    List<Bar> minutes = FeatureSeriesTest.minuteFixture(90, 2);
    lake.writeDailyBars("AAA", daily);
    lake.writeMinuteBars("AAA", minutes);
    assertThat(lake.buildFeatures(Runners.direct())).isEqualTo(CommitOutcome.Status.COMMITTED);
    FeaturesBatch batch = FeaturesBatch.plan(lake.root, FeaturesBatch.MINUTE_INTERVAL);
    assertThat(batch.touchedSymbols()).containsExactly("AAA");
    assertThat(FeatureLake.run(Runners.direct(), batch)).isEqualTo(CommitOutcome.Status.COMMITTED);

    List<Map<String, Object>> expected = new ArrayList<>();
    for (FeatureRow row : FeatureSeries.compute("AAA", daily, true)) {
      expected.add(kernelView(row, "1d"));
    }
    for (FeatureRow row : FeatureSeries.compute("AAA", minutes, false)) {
      expected.add(kernelView(row, "1m"));
    }
    assertTableHolds(lake, expected, "interval", "bar_start");
    DeltaTable features = DeltaTable.at(TableCatalog.GOLD_FEATURES.location(lake.root));
    assertThat(features.txnVersion(FeaturesBatch.appId(FeaturesBatch.MINUTE_INTERVAL)))
        .isEqualTo(0);
    assertThat(features.txnVersion(FeaturesBatch.appId())).isEqualTo(0);
    assertThat(FeaturesBatch.plan(lake.root, FeaturesBatch.MINUTE_INTERVAL).hasWork()).isFalse();
    assertThat(FeaturesBatch.plan(lake.root).hasWork()).isFalse();
  }

  @Test
  void noBarsTableMeansNoWork() {
    assertThat(FeaturesBatch.plan(dir.toString()).hasWork()).isFalse();
  }

  private static Set<String> files(DeltaTable table, String symbol) {
    return table.filesAt(-1).stream()
        .filter(f -> symbol.equals(f.getPartitionValues().get("symbol")))
        .map(AddFile::getPath)
        .collect(Collectors.toSet());
  }

  /** The table holds exactly the rows FeatureSeries computes, as Delta Kernel reads them. */
  private static void assertRowsEqual(FeatureLake lake, Map<String, List<Bar>> barsBySymbol) {
    List<Map<String, Object>> expected = new ArrayList<>();
    for (String symbol : barsBySymbol.keySet().stream().sorted().toList()) {
      for (FeatureRow row : FeatureSeries.compute(symbol, barsBySymbol.get(symbol), true)) {
        expected.add(kernelView(row, "1d"));
      }
    }
    assertTableHolds(lake, expected, "symbol", "bar_start");
  }

  /** gold/features, read by Delta Kernel and sorted by {@code key}, holds {@code expected}. */
  private static void assertTableHolds(
      FeatureLake lake, List<Map<String, Object>> expected, String... key) {
    List<Map<String, Object>> actual =
        KernelTableReader.sorted(
            KernelTableReader.of(TableCatalog.GOLD_FEATURES.location(lake.root)).readLatest(), key);
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> a = actual.get(i);
      for (Map.Entry<String, Object> e : expected.get(i).entrySet()) {
        assertThat(a.get(e.getKey())).as("row %d column %s", i, e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  private static Map<String, Object> kernelView(FeatureRow row, String interval) {
    Map<String, Object> m = new java.util.HashMap<>();
    m.put("symbol", row.symbol());
    m.put("interval", interval);
    m.put("bar_start", Instant.EPOCH.plusNanos(row.barStartMicros() * 1000));
    m.put("trade_date", LocalDate.ofEpochDay(FeatureRecords.tradeDate(row.barStartMicros())));
    m.put("close", row.close());
    for (int i = 0; i < FeatureSchema.NAMES.size(); i++) {
      double x = row.features()[i];
      m.put(FeatureSchema.NAMES.get(i), Double.isFinite(x) ? x : null);
    }
    m.put(FeatureSchema.LABEL_UP, row.labelUp());
    m.put(FeatureSchema.LABEL_RETURN, row.labelReturn());
    m.put(FeatureSchema.LABEL_CLOSE, row.labelClose());
    return m;
  }
}

package dev.ticklake.transforms.gold;

import static dev.ticklake.transforms.gold.GoldLake.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.CommitOutcome.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental batches: a late event changes exactly its bar and the later indicators of its symbol;
 * untouched partitions are not rewritten; the result equals a full rebuild bit for bit; an unmoved
 * Silver is NOTHING_NEW and a re-run of a committed batch is SKIPPED for every table.
 */
class BuildGoldIncrementalTest {
  private static final List<String> SYMBOLS = List.of("AAPL", "GOOG", "MSFT");

  @TempDir Path dir;

  @Test
  void lateEventAndNewDayRecomputeOnlyWhatTheyAffect() {
    GoldLake lake = new GoldLake(dir.resolve("incremental").toString());
    List<GenericRecord> silver = new ArrayList<>(GoldLake.generate(7L, SYMBOLS, 2));
    lake.writeSilver(silver);
    assertThat(lake.runGold()).allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.COMMITTED));
    assertThat(lake.runGold()).as("Silver did not move: NOTHING_NEW").isNull();

    Map<TableDef, List<Map<String, Object>>> before = snapshot(lake);
    Map<String, Set<String>> filesBefore = files(lake);
    Map<String, Object> lateBarBefore = aaplBars(before, day(0)).get(29);
    Instant late0 = (Instant) lateBarBefore.get("bar_start");

    // A late AAPL trade for an already built minute of day 1, far above that bar's high.
    double latePrice = (Double) lateBarBefore.get("high") * 1.02;
    GenericRecord late = trade("AAPL", late0.plusSeconds(17).toString(), latePrice, 333, "late");
    lake.writeSilver(List.of(late));
    silver.add(late);
    GoldBatch batch = GoldBatch.plan(lake.root);
    assertThat(batch.touchedDates()).containsExactly("2026-11-18");
    assertThat(GoldLake.runGold(Runners.direct(), batch))
        .allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.COMMITTED));
    assertThat(GoldLake.runGold(Runners.direct(), batch))
        .as("re-run of a committed batch")
        .allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.SKIPPED));

    Map<TableDef, List<Map<String, Object>>> after = snapshot(lake);
    List<Map<String, Object>> minuteBefore = before.get(TableCatalog.GOLD_BARS_1M);
    List<Map<String, Object>> minuteAfter = after.get(TableCatalog.GOLD_BARS_1M);
    assertThat(minuteAfter).hasSameSizeAs(minuteBefore);
    for (int i = 0; i < minuteBefore.size(); i++) {
      Map<String, Object> b = minuteBefore.get(i);
      Map<String, Object> a = minuteAfter.get(i);
      Instant start = (Instant) b.get("bar_start");
      if (!b.get("symbol").equals("AAPL") || start.isBefore(late0)) {
        assertThat(a).as("untouched bar %s %s", b.get("symbol"), start).isEqualTo(b);
      } else if (start.equals(late0)) {
        assertThat(a.get("high")).isEqualTo(latePrice);
        assertThat(a.get("trade_count")).isEqualTo((Long) b.get("trade_count") + 1);
        assertThat(a.get("volume")).isEqualTo((Long) b.get("volume") + 333);
      } else {
        assertThat(List.of(a.get("open"), a.get("close"), a.get("volume")))
            .as("later bars keep their OHLCV")
            .isEqualTo(List.of(b.get("open"), b.get("close"), b.get("volume")));
      }
    }
    // Later indicators changed, also on the next day (the late high raised the true range).
    assertThat(aaplBars(after, day(1)).get(0).get("atr_14"))
        .isNotEqualTo(aaplBars(before, day(1)).get(0).get("atr_14"));

    // Other symbols' partitions were not even rewritten; AAPL's were, and day 1 of daily metrics.
    Map<String, Set<String>> filesAfter = files(lake);
    for (String key : filesBefore.keySet()) {
      boolean rewritten =
          key.contains("symbol=AAPL")
              || key.equals("gold/daily_metrics trading_date=2026-11-18")
              || key.equals("gold/bar_state trade_date=2026-11-18");
      if (!rewritten) {
        assertThat(filesAfter.get(key)).as(key).isEqualTo(filesBefore.get(key));
      } else if (!key.startsWith("gold/anomalies")) {
        assertThat(filesAfter.get(key)).as(key).doesNotContainAnyElementsOf(filesBefore.get(key));
      }
    }
    assertSameAsFullRebuild(lake, silver, "late");
    GoldReference want = new GoldReference(silver, 60, 3.0);
    GoldReference.assertSameRows(
        after.get(TableCatalog.GOLD_BARS_1M), want.bars1m, "symbol", "bar_start");

    // A new day for MSFT only: nothing of AAPL/GOOG and no earlier MSFT date is rewritten.
    List<GenericRecord> day3 = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      day3.add(trade("MSFT", "2026-11-20T14:" + (30 + i) + ":00Z", 300 + i, 10, "a"));
    }
    lake.writeSilver(day3);
    silver.addAll(day3);
    Map<String, Set<String>> filesBeforeDay3 = files(lake);
    assertThat(lake.runGold()).allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.COMMITTED));
    Map<String, Set<String>> filesAfterDay3 = files(lake);
    for (String key : filesBeforeDay3.keySet()) {
      if (!key.equals("gold/bars_1d symbol=MSFT")) {
        assertThat(filesAfterDay3.get(key)).as(key).isEqualTo(filesBeforeDay3.get(key));
      }
    }
    assertThat(filesAfterDay3)
        .containsKeys(
            "gold/bars_1m symbol=MSFT trade_date=2026-11-20",
            "gold/daily_metrics trading_date=2026-11-20",
            "gold/bar_state trade_date=2026-11-20");
    assertSameAsFullRebuild(lake, silver, "day3");
  }

  /**
   * Silver arriving in time order, batch after batch, is folded into the saved aggregates (no day
   * re-read) and gives the rows of a full rebuild bit for bit, also for {@code gold/bar_state}; a
   * batch mixing in-order rows with a late one for another symbol re-reads only that day; a batch
   * re-run after a crash that committed only {@code gold/bar_state} re-reads its days and completes
   * the other tables exactly.
   */
  @Test
  void inOrderBatchesContinueTheSavedFoldsAndEqualAFullRebuild() throws Exception {
    GoldLake lake = new GoldLake(dir.resolve("folds").toString());
    List<GenericRecord> all = new ArrayList<>(GoldLake.generate(11L, SYMBOLS, 2));
    all.sort(
        java.util.Comparator.comparingLong((GenericRecord r) -> (Long) r.get("ts"))
            .thenComparing(r -> r.get("source").toString())
            .thenComparing(r -> r.get("event_id").toString()));
    List<GenericRecord> silver = new ArrayList<>();
    int chunks = 3;
    for (int c = 0; c < chunks; c++) {
      List<GenericRecord> chunk =
          all.subList(c * all.size() / chunks, (c + 1) * all.size() / chunks);
      lake.writeSilver(chunk);
      silver.addAll(chunk);
      assertThat(lake.runGold()).allSatisfy((t, st) -> assertThat(st).isEqualTo(Status.COMMITTED));
    }
    assertSameAsFullRebuild(lake, silver, "chunks");
    assertThat(lake.rows(TableCatalog.GOLD_BAR_STATE))
        .extracting(r -> r.get("symbol") + " " + r.get("trade_date") + " " + r.get("event_count"))
        .containsExactly(
            "AAPL 2026-11-18 401",
            "AAPL 2026-11-19 402",
            "GOOG 2026-11-18 401",
            "GOOG 2026-11-19 402",
            "MSFT 2026-11-18 401",
            "MSFT 2026-11-19 402");

    // In-order trades for GOOG and MSFT, and a late AAPL trade in the middle of day 2.
    Instant lastTs = Instant.ofEpochSecond(0, 1000 * (Long) all.get(all.size() - 1).get("ts"));
    List<GenericRecord> mixed = new ArrayList<>();
    for (int i = 1; i <= 90; i++) {
      String ts = lastTs.plusSeconds(i).toString();
      mixed.add(trade(i % 2 == 0 ? "GOOG" : "MSFT", ts, 100 + i * 0.01, i, "a"));
    }
    mixed.add(trade("AAPL", "2026-11-19T15:00:01.5Z", 123.45, 77, "late"));
    lake.writeSilver(mixed);
    silver.addAll(mixed);
    assertThat(lake.runGold()).allSatisfy((t, st) -> assertThat(st).isEqualTo(Status.COMMITTED));
    assertSameAsFullRebuild(lake, silver, "mixed");

    // A crash after the batch committed gold/bar_state only: the other tables' last commits are
    // taken away, as if they had never happened.
    List<GenericRecord> more = new ArrayList<>();
    for (int i = 91; i <= 150; i++) {
      String ts = lastTs.plusSeconds(i).toString();
      more.add(trade(SYMBOLS.get(i % 3), ts, 100 + i * 0.01, i, "a"));
    }
    lake.writeSilver(more);
    silver.addAll(more);
    assertThat(lake.runGold()).allSatisfy((t, st) -> assertThat(st).isEqualTo(Status.COMMITTED));
    for (TableDef t : GoldLake.GOLD) {
      if (t != TableCatalog.GOLD_BAR_STATE) {
        long v = dev.ticklake.transforms.delta.DeltaTable.at(t.location(lake.root)).latestVersion();
        Path log = Path.of(t.location(lake.root), "_delta_log");
        String commit = String.format("%020d.json", v);
        java.nio.file.Files.delete(log.resolve(commit));
        java.nio.file.Files.deleteIfExists(log.resolve("." + commit + ".crc"));
      }
    }
    GoldBatch rerun = GoldBatch.plan(lake.root);
    assertThat(rerun.hasWork()).isTrue();
    Map<String, Status> statuses = GoldLake.runGold(Runners.direct(), rerun);
    assertThat(statuses.get(TableCatalog.GOLD_BAR_STATE.id())).isEqualTo(Status.SKIPPED);
    assertThat(statuses.get(TableCatalog.GOLD_BARS_1M.id())).isEqualTo(Status.COMMITTED);
    assertSameAsFullRebuild(lake, silver, "crash");
  }

  /** A fresh lake built from all Silver rows in one batch holds bit-identical Gold rows. */
  private void assertSameAsFullRebuild(GoldLake lake, List<GenericRecord> silver, String name) {
    GoldLake full = new GoldLake(dir.resolve("full-" + name).toString());
    full.writeSilver(silver);
    full.runGold();
    for (TableDef t : GoldLake.GOLD) {
      assertThat(lake.rows(t)).as("%s vs full rebuild", t.id()).isEqualTo(full.rows(t));
    }
  }

  private static Map<TableDef, List<Map<String, Object>>> snapshot(GoldLake lake) {
    Map<TableDef, List<Map<String, Object>>> rows = new HashMap<>();
    for (TableDef t : GoldLake.GOLD) {
      rows.put(t, lake.rows(t));
    }
    return rows;
  }

  /** Data files per "table partition", e.g. "gold/bars_1m symbol=AAPL trade_date=2026-11-18". */
  private static Map<String, Set<String>> files(GoldLake lake) {
    Map<String, Set<String>> files = new HashMap<>();
    for (TableDef t : GoldLake.GOLD) {
      for (String path : lake.files(t, Map.of())) {
        String partition = path.substring(0, path.lastIndexOf('/')).replace('/', ' ');
        files.computeIfAbsent(t.id() + " " + partition, k -> new java.util.HashSet<>()).add(path);
      }
    }
    return files;
  }

  private static List<Map<String, Object>> aaplBars(
      Map<TableDef, List<Map<String, Object>>> tables, LocalDate date) {
    return tables.get(TableCatalog.GOLD_BARS_1M).stream()
        .filter(r -> r.get("symbol").equals("AAPL") && r.get("trade_date").equals(date))
        .toList();
  }

  static LocalDate day(int i) {
    return LocalDate.parse("2026-11-18").plusDays(i);
  }
}

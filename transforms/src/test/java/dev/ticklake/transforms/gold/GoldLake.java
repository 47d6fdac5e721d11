package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;

/** A test lake: Silver rows written directly with DeltaIO, Gold batches run, tables read back. */
final class GoldLake {
  static final Schema SILVER = TableCatalog.SILVER_TICKS.schema();
  static final List<TableDef> GOLD = GoldBatch.TABLES;

  final String root;

  GoldLake(String root) {
    this.root = root;
  }

  static long micros(String ts) {
    Instant t = Instant.parse(ts);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  static GenericRecord trade(String symbol, String ts, double price, long volume, String source) {
    return event(symbol, ts, "trade", null, price, price, price, price, volume, source);
  }

  static GenericRecord bar(
      String symbol,
      String ts,
      String interval,
      double open,
      double high,
      double low,
      double close,
      long volume) {
    return event(symbol, ts, "bar", interval, open, high, low, close, volume, "csv");
  }

  static GenericRecord event(
      String symbol,
      String ts,
      String kind,
      String interval,
      double open,
      double high,
      double low,
      double close,
      long volume,
      String source) {
    GenericRecord r = new GenericData.Record(SILVER);
    r.put("symbol", symbol);
    r.put("ts", micros(ts));
    r.put("kind", kind);
    r.put("interval", interval);
    r.put("open", open);
    r.put("high", high);
    r.put("low", low);
    r.put("close", close);
    r.put("volume", volume);
    r.put("source", source);
    r.put("event_id", symbol + "@" + ts + "/" + source);
    r.put("ingest_ts", micros("2026-11-21T00:00:00Z"));
    r.put(
        "trade_date", (int) Instant.parse(ts).atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
    return r;
  }

  /** Upserts {@code rows} into {@code silver/ticks} as one commit (DirectRunner). */
  void writeSilver(List<GenericRecord> rows) {
    Pipeline p = Runners.direct();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(GenericRecord.class, SILVER)))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.SILVER_TICKS, root)));
    p.run().waitUntilFinish();
  }

  /** Plans and runs the next Gold batch on {@code p}; null when Silver has not moved. */
  Map<String, CommitOutcome.Status> runGold(Pipeline p) {
    GoldBatch batch = GoldBatch.plan(root);
    return batch.hasWork() ? runGold(p, batch) : null;
  }

  Map<String, CommitOutcome.Status> runGold() {
    return runGold(Runners.direct());
  }

  /** Runs {@code batch} (planned earlier, possibly already committed) on {@code p}. */
  static Map<String, CommitOutcome.Status> runGold(Pipeline p, GoldBatch batch) {
    Collected<CommitOutcome> outcomes = Collected.into();
    p.apply("BuildGold", BuildGold.of(batch)).apply(outcomes);
    p.run().waitUntilFinish();
    Map<String, CommitOutcome.Status> statuses = new LinkedHashMap<>();
    for (TableDef t : GOLD) {
      statuses.put(t.id(), null);
    }
    for (CommitOutcome o : outcomes.elements()) {
      statuses.put(o.table(), o.status());
    }
    assertThat(outcomes.elements()).hasSize(GOLD.size());
    return statuses;
  }

  /** A Gold table's rows as Delta Kernel reads them, sorted by its key columns. */
  List<Map<String, Object>> rows(TableDef table) {
    return KernelTableReader.sorted(
        KernelTableReader.of(table.location(root)).readLatest(),
        table.keyColumns().toArray(new String[0]));
  }

  /** The data files of a table's partitions matching {@code partition} (all entries). */
  Set<String> files(TableDef table, Map<String, String> partition) {
    return DeltaTable.at(table.location(root)).filesAt(-1).stream()
        .filter(f -> f.getPartitionValues().entrySet().containsAll(partition.entrySet()))
        .map(AddFile::getPath)
        .collect(Collectors.toSet());
  }

  /**
   * A seeded random market: {@code symbols} symbols over {@code days} days from 2026-11-18, 400
   * trades a day in the first two hours with random-walk prices and a few jumps (so anomalies
   * exist), some trades sharing a timestamp (ties), a {@code 1min} bar a day and a {@code 1d} bar
   * on the last day.
   */
  static List<GenericRecord> generate(long seed, List<String> symbols, int days) {
    java.util.Random random = new java.util.Random(seed);
    List<GenericRecord> rows = new java.util.ArrayList<>();
    for (String symbol : symbols) {
      double price = 50 + random.nextInt(200);
      for (int d = 0; d < days; d++) {
        Instant open = Instant.parse("2026-11-18T14:30:00Z").plusSeconds(86_400L * d);
        long offsetMillis = 0;
        for (int i = 0; i < 400; i++) {
          offsetMillis += i % 9 == 0 ? 0 : 1 + random.nextInt(36_000);
          double jump = random.nextInt(150) == 0 ? (random.nextBoolean() ? 0.05 : -0.05) : 0;
          price = Math.max(1, price * Math.exp(random.nextGaussian() * 0.001 + jump));
          price = Math.round(price * 100) / 100.0;
          String ts = open.plusMillis(offsetMillis).toString();
          // Equal timestamps get different sources, as Silver's key (symbol, ts, source) requires.
          rows.add(trade(symbol, ts, price, 1 + random.nextInt(500), i % 9 == 0 ? "b" : "a"));
        }
        String barTs = open.plusSeconds(60L * (200 + d)).toString();
        rows.add(bar(symbol, barTs, "1min", price, price * 1.002, price * 0.997, price, 900));
      }
      String dayTs =
          Instant.parse("2026-11-18T00:00:00Z").plusSeconds(86_400L * (days - 1)).toString();
      rows.add(bar(symbol, dayTs, "1d", price, price * 1.03, price * 0.96, price * 1.01, 250_000));
    }
    return rows;
  }
}

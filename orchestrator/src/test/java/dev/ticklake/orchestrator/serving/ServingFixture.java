package dev.ticklake.orchestrator.serving;

import dev.ticklake.orchestrator.serving.FixtureLake.Trade;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;

/**
 * The fixture lake the serving tests share, built once per JVM (the Silver and Gold jobs take
 * seconds): AAPL 80 minutes on day 1 with a crash in minute 70 (two anomalies) and 5 minutes on day
 * 2, MSFT 30 minutes and NVDA 10 minutes on day 1, plus a malformed record and a negative price
 * (quarantined). Tests may add NVDA minutes; nothing else changes.
 */
final class ServingFixture {
  static final Instant DAY1 = Instant.parse("2026-11-19T14:00:00Z");
  static final Instant DAY2 = Instant.parse("2026-11-20T14:00:00Z");

  static final Path DIR = ServingApps.dir("ticklake-serving");
  private static FixtureLake lake;
  private static List<Trade> trades;

  private ServingFixture() {}

  static synchronized FixtureLake lake() {
    if (lake == null) {
      FixtureLake l = new FixtureLake(DIR.resolve("lake"));
      List<Trade> all = new ArrayList<>();
      for (Trade t : FixtureLake.trades("AAPL", DAY1, 80, 1)) {
        boolean crash =
            !t.ts().isBefore(DAY1.plusSeconds(70 * 60))
                && t.ts().isBefore(DAY1.plusSeconds(71 * 60));
        all.add(crash ? new Trade(t.symbol(), t.ts(), 50.0, t.volume()) : t);
      }
      all.addAll(FixtureLake.trades("AAPL", DAY2, 5, 2));
      all.addAll(FixtureLake.trades("MSFT", DAY1, 30, 3));
      all.addAll(FixtureLake.trades("NVDA", DAY1, 10, 4));
      l.ingest(
          all,
          List.of(
              "not json",
              "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-19T14:10:00Z\",\"price\":-5.0,\"volume\":10}"));
      trades = List.copyOf(all);
      lake = l;
    }
    return lake;
  }

  /** The trades of the first ingest (NVDA minutes added by tests are not here). */
  static List<Trade> trades() {
    lake();
    return trades;
  }

  /**
   * Commits one {@code gold/daily_metrics} row of NVDA on {@code day} (avg_price 100 + the day of
   * the month, total_volume 1,000 + it) under {@code lakeRoot}, one Delta version, with DeltaIO;
   * returns the row as the read layer answers it.
   */
  static List<Object> commitNvdaDay(String lakeRoot, LocalDate day) {
    Schema schema = TableCatalog.GOLD_DAILY_METRICS.schema();
    int n = day.getDayOfMonth();
    GenericRecord row = new GenericData.Record(schema);
    row.put("trading_date", (int) day.toEpochDay());
    row.put("symbol", "NVDA");
    row.put("avg_price", 100.0 + n);
    row.put("total_volume", 1_000L + n);
    Pipeline p = Runners.direct();
    p.apply(Create.of(List.of(row)).withCoder(AvroCoder.of(schema)))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.GOLD_DAILY_METRICS, lakeRoot)));
    p.run().waitUntilFinish();
    return List.of(day, "NVDA", 100.0 + n, 1_000L + n);
  }
}

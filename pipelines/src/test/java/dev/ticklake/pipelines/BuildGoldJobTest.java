package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.CommitReport;
import dev.ticklake.transforms.delta.DeltaIO;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Gold job's main: plan, NOTHING_NEW, per-table commit reports, options. */
class BuildGoldJobTest {
  @TempDir Path dir;

  @Test
  void commitsEveryTableOnceThenReportsNothingNew() {
    String root = dir.toString();
    BuildGoldJob.Options options = options(root);
    assertThat(BuildGoldJob.run(options).status()).isEqualTo(BatchStatus.NOTHING_NEW);

    List<GenericRecord> silver = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      // A steady climb with a one-minute crash at minute 70: its fall and the rebound are the
      // only returns beyond 3 standard deviations of the previous 60.
      double price = i == 70 ? 50.0 : 100.0 + i * 0.01 + (i % 2) * 0.005;
      silver.add(trade("AAPL", Instant.parse("2026-11-19T14:00:00Z").plusSeconds(60L * i), price));
    }
    writeSilver(root, silver);

    BuildGoldJob.Result result = BuildGoldJob.run(options);
    assertThat(result.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(result.silverFromExclusive()).isEqualTo(-1);
    assertThat(result.silverVersion()).isZero();
    assertThat(result.touchedDates()).containsExactly("2026-11-19");
    assertThat(result.commits())
        .extracting(CommitReport::table, CommitReport::status, CommitReport::rowsCommitted)
        .containsExactly(
            tuple("gold/bars_1m", 80),
            tuple("gold/bars_1d", 1),
            tuple("gold/anomalies", 2),
            tuple("gold/daily_metrics", 1),
            tuple("gold/bar_state", 1));
    List<Map<String, Object>> anomalies =
        KernelTableReader.sorted(
            KernelTableReader.of(TableCatalog.GOLD_ANOMALIES.location(root)).readLatest(),
            "bar_start");
    assertThat(anomalies).extracting(a -> a.get("direction")).containsExactly("down", "up");
    assertThat(anomalies.get(0))
        .containsEntry("bar_start", Instant.parse("2026-11-19T15:10:00Z"))
        .containsEntry("trade_date", LocalDate.parse("2026-11-19"))
        .containsEntry("interval", "1min")
        .containsEntry("direction", "down")
        .containsEntry("window", 60)
        .containsEntry("threshold", 3.0);

    assertThat(BuildGoldJob.run(options).status()).isEqualTo(BatchStatus.NOTHING_NEW);
  }

  private static org.assertj.core.groups.Tuple tuple(String table, long rows) {
    return org.assertj.core.groups.Tuple.tuple(table, CommitOutcome.Status.COMMITTED, rows);
  }

  private static BuildGoldJob.Options options(String root) {
    BuildGoldJob.Options options =
        PipelineOptionsFactory.fromArgs("--lakeRoot=" + root, "--runId=test-run")
            .as(BuildGoldJob.Options.class);
    assertThat(options.getAnomalyWindow()).isEqualTo(60);
    assertThat(options.getAnomalyThreshold()).isEqualTo(3.0);
    return options;
  }

  private static GenericRecord trade(String symbol, Instant ts, double price) {
    GenericRecord r = new GenericData.Record(TableCatalog.SILVER_TICKS.schema());
    long micros = ts.getEpochSecond() * 1_000_000L;
    r.put("symbol", symbol);
    r.put("ts", micros);
    r.put("kind", "trade");
    r.put("interval", null);
    r.put("open", price);
    r.put("high", price);
    r.put("low", price);
    r.put("close", price);
    r.put("volume", 100L);
    r.put("source", "synthetic");
    r.put("event_id", symbol + "@" + ts);
    r.put("ingest_ts", micros);
    r.put("trade_date", (int) ts.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
    return r;
  }

  private static void writeSilver(String root, List<GenericRecord> rows) {
    Pipeline p = Runners.direct();
    p.apply(
            Create.of(rows)
                .withCoder(AvroCoder.of(GenericRecord.class, TableCatalog.SILVER_TICKS.schema())))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.SILVER_TICKS, root)));
    p.run().waitUntilFinish();
  }
}

package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.MemoryBackedTempDir;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome.Status;
import dev.ticklake.transforms.delta.DeltaIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history backfill (issue 14): one symbol's 20 years of daily bars in one Gold batch, on the
 * DirectRunner and on FlinkRunner {@code [local]}, give bars and indicators equal to an independent
 * computation ({@link GoldReference}: OHLCV exact, indicators within 1e-9).
 */
class GoldHistoryIT {
  @TempDir(factory = MemoryBackedTempDir.class)
  Path dir;

  @Test
  void twentyYearsOfDailyBarsOfOneSymbolOnBothRunners() throws IOException {
    List<GenericRecord> silver = dailyBars("AAPL", LocalDate.of(2006, 1, 2), 20, 14L);
    assertThat(silver).hasSize(5_219);
    Path direct = dir.resolve("direct");
    writeSilver(direct.toString(), silver);
    Path flink = dir.resolve("flink");
    copy(direct, flink);

    GoldLake onDirect = new GoldLake(direct.toString());
    GoldLake onFlink = new GoldLake(flink.toString());
    assertThat(onDirect.runGold(productionDirect()))
        .allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.COMMITTED));
    assertThat(onFlink.runGold(Runners.flinkLocal()))
        .allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.COMMITTED));

    GoldReference want = new GoldReference(silver, 60, 3.0);
    assertThat(want.bars1d).hasSize(5_219);
    assertThat(want.bars1m).isEmpty();
    for (GoldLake lake : List.of(onDirect, onFlink)) {
      GoldReference.assertSameRows(
          lake.rows(TableCatalog.GOLD_BARS_1D), want.bars1d, "symbol", "bar_start");
      GoldReference.assertSameRows(
          lake.rows(TableCatalog.GOLD_DAILY_METRICS), want.dailyMetrics, "trading_date", "symbol");
      assertThat(lake.rows(TableCatalog.GOLD_BARS_1M)).isEmpty();
      assertThat(lake.rows(TableCatalog.GOLD_ANOMALIES)).isEmpty();
    }
  }

  /** Weekday daily bars over {@code years} from {@code first}: a seeded walk in cents. */
  static List<GenericRecord> dailyBars(String symbol, LocalDate first, int years, long seed) {
    Random random = new Random(seed);
    List<GenericRecord> rows = new ArrayList<>();
    double close = 100;
    for (LocalDate d = first; d.isBefore(first.plusYears(years)); d = d.plusDays(1)) {
      if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
        continue;
      }
      double open = close;
      close = Math.max(1, Math.round(open * Math.exp(random.nextGaussian() * 0.02) * 100) / 100.0);
      double high = Math.max(open, close) + random.nextInt(100) / 100.0;
      double low = Math.max(0.5, Math.min(open, close) - random.nextInt(100) / 100.0);
      rows.add(
          GoldLake.bar(
              symbol,
              d + "T00:00:00Z",
              "1d",
              open,
              high,
              low,
              close,
              1_000 + random.nextInt(1_000_000)));
    }
    return rows;
  }

  /** The options jobs run the DirectRunner with (its test-only checks off). */
  private static Pipeline productionDirect() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setTargetParallelism(2);
    o.setBlockOnRun(true);
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    return Pipeline.create(o);
  }

  /**
   * Appends the rows as Silver's first commit: what an upsert into the empty table commits, without
   * its shuffle by date (the backfill under test is Gold's).
   */
  private static void writeSilver(String root, List<GenericRecord> rows) {
    Pipeline p = productionDirect();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(GenericRecord.class, GoldLake.SILVER)))
        .apply(
            DeltaIO.write()
                .to(CatalogTables.spec(TableCatalog.SILVER_TICKS, root))
                .withMode(WriteMode.APPEND));
    p.run().waitUntilFinish();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(
          source -> {
            try {
              Files.copy(source, to.resolve(from.relativize(source).toString()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}

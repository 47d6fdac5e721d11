package dev.ticklake.benchmarks;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

/**
 * The serving suite's lake: {@code gold/bars_1m} (and {@code gold/bars_1d}, which the service's
 * symbol check reads) of {@code symbols} synthetic symbols over {@code days} weekdays of {@code
 * barsPerDay} one-minute bars from 14:30 UTC, written by the real {@link DeltaIO} on the
 * DirectRunner in the table's own layout (partitioned by symbol and trade date). The bars are
 * written directly rather than built from trades by Silver and Gold: the read layer only sees
 * Gold's files and log, and this is the fastest way to a lake of this size. Indicator columns are
 * null (the query reads {@code bar_start} and {@code close}).
 */
final class ServingLake {
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 1);

  final String lakeRoot;
  final int symbols;
  final List<LocalDate> days;
  final int barsPerDay;

  ServingLake(String lakeRoot, int symbols, int days, int barsPerDay) {
    this.lakeRoot = lakeRoot;
    this.symbols = symbols;
    this.days = weekdays(days);
    this.barsPerDay = barsPerDay;
  }

  static String symbol(int i) {
    return String.format("SYM%02d", i);
  }

  /** The first instant of the first day. */
  Instant from() {
    return days.get(0).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The last instant of the last day. */
  Instant to() {
    return days.get(days.size() - 1).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  long barsPerSymbol() {
    return (long) days.size() * barsPerDay;
  }

  /** Writes every symbol's minute bars (one commit) and daily bars (one commit). */
  void build() {
    List<GenericRecord> minute = new ArrayList<>();
    List<GenericRecord> daily = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      for (LocalDate day : days) {
        List<GenericRecord> bars = minuteBars(symbol(s), day, s * 1000L + day.toEpochDay());
        minute.addAll(bars);
        daily.add(dailyBar(bars));
      }
    }
    write(TableCatalog.GOLD_BARS_1M, minute);
    write(TableCatalog.GOLD_BARS_1D, daily);
  }

  /**
   * Rewrites one day of one symbol's minute bars with new prices (a REPLACE_PARTITIONS commit, as
   * Gold makes): the commit the cold samples follow.
   */
  void replaceDay(int symbolIndex, int dayIndex, long seed) {
    write(
        TableCatalog.GOLD_BARS_1M,
        minuteBars(symbol(symbolIndex), days.get(dayIndex), 1_000_003L * seed));
  }

  private List<GenericRecord> minuteBars(String symbol, LocalDate day, long seed) {
    Schema schema = TableCatalog.GOLD_BARS_1M.schema();
    Random r = new Random(seed);
    Instant open = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(14 * 3600 + 30 * 60);
    double close = 50 + r.nextInt(200);
    List<GenericRecord> out = new ArrayList<>(barsPerDay);
    for (int m = 0; m < barsPerDay; m++) {
      double o = close;
      close = Math.max(0.01, o * (1 + 0.001 * r.nextGaussian()));
      GenericRecord b = new GenericData.Record(schema);
      b.put("symbol", symbol);
      b.put("bar_start", open.plusSeconds(60L * m).getEpochSecond() * 1_000_000L);
      b.put("trade_date", (int) day.toEpochDay());
      b.put("open", o);
      b.put("high", Math.max(o, close) * 1.0005);
      b.put("low", Math.min(o, close) * 0.9995);
      b.put("close", close);
      b.put("volume", 1000L + r.nextInt(10_000));
      b.put("vwap", (o + close) / 2);
      b.put("trade_count", 10L + r.nextInt(100));
      out.add(b);
    }
    return out;
  }

  private static GenericRecord dailyBar(List<GenericRecord> minutes) {
    GenericRecord first = minutes.get(0);
    GenericRecord last = minutes.get(minutes.size() - 1);
    GenericRecord d = new GenericData.Record(TableCatalog.GOLD_BARS_1D.schema());
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    long volume = 0;
    long trades = 0;
    for (GenericRecord m : minutes) {
      high = Math.max(high, (double) m.get("high"));
      low = Math.min(low, (double) m.get("low"));
      volume += (long) m.get("volume");
      trades += (long) m.get("trade_count");
    }
    int day = (int) first.get("trade_date");
    d.put("symbol", first.get("symbol"));
    d.put(
        "bar_start",
        LocalDate.ofEpochDay(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L);
    d.put("trade_date", day);
    d.put("open", first.get("open"));
    d.put("high", high);
    d.put("low", low);
    d.put("close", last.get("close"));
    d.put("volume", volume);
    d.put("vwap", last.get("close"));
    d.put("trade_count", trades);
    return d;
  }

  private void write(dev.ticklake.schemas.catalog.TableDef table, List<GenericRecord> rows) {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setTargetParallelism(2);
    o.setBlockOnRun(true);
    // test-time safety nets (encode every element twice); they would only slow the set-up
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    Pipeline p = Pipeline.create(o);
    p.apply(Create.of(rows).withCoder(AvroCoder.of(table.schema())))
        .apply(
            DeltaIO.write()
                .to(CatalogTables.spec(table, lakeRoot))
                .withMode(WriteMode.REPLACE_PARTITIONS));
    p.run().waitUntilFinish();
  }

  private static List<LocalDate> weekdays(int n) {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = FIRST_DAY; out.size() < n; d = d.plusDays(1)) {
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        out.add(d);
      }
    }
    return out;
  }
}

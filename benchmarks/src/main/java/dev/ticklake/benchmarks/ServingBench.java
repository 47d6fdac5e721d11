package dev.ticklake.benchmarks;

import dev.ticklake.orchestrator.serving.LakeReader;
import dev.ticklake.orchestrator.serving.RowSet;
import dev.ticklake.orchestrator.serving.TableQuery;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The {@code serving} suite, part A (in-process, no HTTP): over a {@link ServingLake} it times the
 * query "one symbol's 1-minute closes over the lake's days" through the read layer ({@link
 * LakeReader}, its result cache on): warm p50/p95/max over {@code repeats} repetitions, and cold
 * (the first query after a new commit of the table, so the cache version changes) p50/p95/max over
 * {@code coldSamples} commits. The reference is the raw Parquet scan of the same files (the
 * symbol's data files of the latest version, parquet-avro on one thread, no cache), in rows/s. Each
 * figure is printed beside the target (warm p95 ≤ 30 ms, cold p95 ≤ 300 ms).
 */
final class ServingBench {
  static final double WARM_P95_TARGET_MS = 30;
  static final double COLD_P95_TARGET_MS = 300;
  private static final int RAW_SCAN_PASSES = 5;

  private final ServingLake lake;
  private final int repeats;
  private final int coldSamples;
  private final PrintStream out;

  ServingBench(
      Path workDir,
      int symbols,
      int days,
      int barsPerDay,
      int repeats,
      int coldSamples,
      PrintStream out) {
    this.lake = new ServingLake(workDir.resolve("lake").toString(), symbols, days, barsPerDay);
    this.repeats = repeats;
    this.coldSamples = coldSamples;
    this.out = out;
  }

  /** Builds the lake, measures; {@code lines} gets the console table; returns the JSON section. */
  Map<String, Object> measure(List<String> lines) throws IOException {
    long t0 = System.nanoTime();
    lake.build();
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    Suite.log(
        out,
        "serving: lake of %d symbols x %d days x %d bars built in %.1f s",
        lake.symbols,
        lake.days.size(),
        lake.barsPerDay,
        buildSeconds);

    String symbol = ServingLake.symbol(0);
    TableQuery query =
        TableQuery.range(TableCatalog.GOLD_BARS_1M.id(), Set.of(symbol), lake.from(), lake.to())
            .withColumns(List.of("bar_start", "close"));
    LakeReader reader = new LakeReader(lake.lakeRoot, 256L << 20);

    // The first query fills the cache (and loads and compiles the read path): neither warm nor a
    // cold sample of a running service; reported on its own.
    long f = System.nanoTime();
    check(reader.read(query));
    double firstMs = (System.nanoTime() - f) / 1e6;

    double[] warm = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long s = System.nanoTime();
      RowSet rows = reader.read(query);
      warm[i] = (System.nanoTime() - s) / 1e6;
      check(rows);
    }
    Percentiles warmP = Percentiles.of(warm);
    Suite.log(out, "serving: warm %s", warmP);

    double[] cold = new double[coldSamples];
    for (int i = 0; i < coldSamples; i++) {
      lake.replaceDay(0, i % lake.days.size(), i + 1);
      long s = System.nanoTime();
      RowSet rows = reader.read(query);
      cold[i] = (System.nanoTime() - s) / 1e6;
      check(rows);
    }
    Percentiles coldP = Percentiles.of(cold);
    Suite.log(out, "serving: cold %s", coldP);

    List<String> files = symbolFiles(symbol);
    long rawRows = 0;
    double rawSeconds = Double.MAX_VALUE;
    for (int pass = 0; pass < RAW_SCAN_PASSES; pass++) {
      long s = System.nanoTime();
      rawRows = scan(files);
      rawSeconds = Math.min(rawSeconds, (System.nanoTime() - s) / 1e9);
    }
    if (rawRows != lake.barsPerSymbol()) {
      throw new IllegalStateException(
          "raw scan of "
              + symbol
              + "'s files found "
              + rawRows
              + " rows, expected "
              + lake.barsPerSymbol());
    }
    double rawRate = rawRows / rawSeconds;
    double coldRate = lake.barsPerSymbol() / (coldP.p50() / 1000);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("symbols", lake.symbols);
    json.put("days", lake.days.size());
    json.put("barsPerDay", lake.barsPerDay);
    json.put("rowsPerQuery", lake.barsPerSymbol());
    json.put("filesPerQuery", files.size());
    json.put("lakeBuildSeconds", round(buildSeconds, 1));
    json.put("firstQueryMs", round(firstMs, 1));
    json.put("warm", withTarget(warmP, WARM_P95_TARGET_MS));
    json.put("cold", withTarget(coldP, COLD_P95_TARGET_MS));
    json.put("coldRowsPerSecondAtP50", Math.round(coldRate));
    json.put("rawParquetScanRowsPerSecond", Math.round(rawRate));
    json.put("rawParquetScanSeconds", round(rawSeconds, 4));

    lines.add(
        String.format(
            Locale.ROOT,
            "query: %s's 1-minute closes, %d days (%d rows in %d files of %d symbols)",
            symbol,
            lake.days.size(),
            lake.barsPerSymbol(),
            files.size(),
            lake.symbols));
    lines.add(
        String.format(
            Locale.ROOT,
            "%-28s %7s %9s %9s %9s  %s",
            "measure",
            "n",
            "p50 ms",
            "p95 ms",
            "max ms",
            "target (p95)"));
    lines.add(row("warm (result cache)", warmP, WARM_P95_TARGET_MS));
    lines.add(row("cold (first after commit)", coldP, COLD_P95_TARGET_MS));
    lines.add(
        String.format(
            Locale.ROOT,
            "read layer cold at p50: %,d rows/s; raw Parquet scan of the same files: %,d rows/s"
                + " (best of %d)",
            Math.round(coldRate),
            Math.round(rawRate),
            RAW_SCAN_PASSES));
    return json;
  }

  private void check(RowSet rows) {
    if (rows.size() != lake.barsPerSymbol()) {
      throw new IllegalStateException(
          "the query returned " + rows.size() + " rows, expected " + lake.barsPerSymbol());
    }
  }

  /** The data files of {@code symbol} at the table's latest version. */
  private List<String> symbolFiles(String symbol) {
    String location = TableCatalog.GOLD_BARS_1M.location(lake.lakeRoot);
    List<String> out = new ArrayList<>();
    for (AddFile f : DeltaTable.at(location).filesAt(-1)) {
      if (symbol.equals(f.getPartitionValues().get("symbol"))) {
        out.add(
            new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(location), f.getPath())
                .toString());
      }
    }
    return out;
  }

  /** Reads every row of every file with parquet-avro (the files' own schema); returns the rows. */
  private static long scan(List<String> files) throws IOException {
    Configuration conf = new Configuration();
    long rows = 0;
    for (String file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file), conf))
              .withDataModel(GenericData.get())
              .withConf(conf)
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          rows++;
        }
      }
    }
    return rows;
  }

  static String metOrNot(double p95, double target) {
    return Double.isNaN(p95) ? "no samples" : p95 <= target ? "met" : "NOT met";
  }

  private static String row(String name, Percentiles p, double target) {
    return String.format(
        Locale.ROOT,
        "%-28s %7d %9.1f %9.1f %9.1f  <= %.0f ms: %s",
        name,
        p.count(),
        p.p50(),
        p.p95(),
        p.max(),
        target,
        metOrNot(p.p95(), target));
  }

  private static Map<String, Object> withTarget(Percentiles p, double target) {
    Map<String, Object> m = new LinkedHashMap<>(p.toJson());
    m.put("p95TargetMs", target);
    m.put("p95TargetMet", !Double.isNaN(p.p95()) && p.p95() <= target);
    return m;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}

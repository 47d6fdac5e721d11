package dev.ticklake.benchmarks;

import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * An independent reader of {@code gold/bars_1m} on a local lake, for the freshness suite: the Delta
 * log through delta-standalone, the data files through parquet-avro (not the pipelines' DeltaIO).
 * {@link #poll()} returns every version committed since the last call (not only the latest), each
 * with the {@code trade_count} of every bar in that version's snapshot and the time the version
 * became visible: the modification time of its {@code _delta_log} commit file. Data files are read
 * once and cached by path. Not thread-safe.
 */
final class GoldBarsReader {

  /** A bar's identity: symbol and start of its minute. */
  record BarKey(String symbol, Instant barStart) {}

  /** One table version: when its commit file appeared and the trade count of every bar. */
  record Version(long version, Instant visibleAt, Map<BarKey, Long> tradeCounts) {}

  private final String location;
  private final Path logDir;
  private final Configuration conf = new Configuration();
  private final Map<String, Map<BarKey, Long>> rowsByFile = new HashMap<>();
  private long lastVersion = -1;

  GoldBarsReader(String tableLocation) {
    this.location = tableLocation;
    this.logDir = Path.of(tableLocation, "_delta_log");
  }

  /** Versions committed since the last call, oldest first; empty when there is none. */
  List<Version> poll() throws IOException {
    List<Version> out = new ArrayList<>();
    // A file stat per poll; the log is only parsed when a new commit file exists.
    while (Files.exists(commitFile(lastVersion + 1))) {
      long v = lastVersion + 1;
      Instant visibleAt = Files.getLastModifiedTime(commitFile(v)).toInstant();
      out.add(new Version(v, visibleAt, read(v)));
      lastVersion = v;
    }
    return out;
  }

  private Path commitFile(long version) {
    return logDir.resolve(String.format("%020d.json", version));
  }

  private Map<BarKey, Long> read(long version) throws IOException {
    List<AddFile> files = DeltaTable.at(location).filesAt(version);
    Set<String> current = new HashSet<>();
    Map<BarKey, Long> counts = new HashMap<>();
    for (AddFile f : files) {
      current.add(f.getPath());
      Map<BarKey, Long> rows = rowsByFile.get(f.getPath());
      if (rows == null) {
        rows = readFile(f);
        rowsByFile.put(f.getPath(), rows);
      }
      counts.putAll(rows);
    }
    rowsByFile.keySet().retainAll(current);
    return counts;
  }

  private Map<BarKey, Long> readFile(AddFile f) throws IOException {
    org.apache.hadoop.fs.Path path;
    try {
      path = new org.apache.hadoop.fs.Path(location, new URI(f.getPath()).getPath());
    } catch (URISyntaxException e) {
      throw new IOException("bad data file path in the log of " + location + ": " + f.getPath(), e);
    }
    String partitionSymbol = f.getPartitionValues().get("symbol");
    Map<BarKey, Long> rows = new HashMap<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(path, conf))
            .withConf(conf)
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        Object symbol = r.hasField("symbol") ? r.get("symbol") : null;
        String s = symbol != null ? symbol.toString() : partitionSymbol;
        rows.put(
            new BarKey(s, instant(r.get("bar_start"))),
            ((Number) r.get("trade_count")).longValue());
      }
    }
    return rows;
  }

  private static Instant instant(Object v) {
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof Number micros) {
      long m = micros.longValue();
      return Instant.ofEpochSecond(
          Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000);
    }
    throw new UncheckedIOException(
        new IOException(
            "gold/bars_1m bar_start: unexpected value " + v + " (" + v.getClass() + ")"));
  }
}

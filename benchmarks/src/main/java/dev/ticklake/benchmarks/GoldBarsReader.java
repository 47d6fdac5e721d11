package dev.ticklake.benchmarks;

import dev.ticklake.transforms.delta.DeltaScan;
import dev.ticklake.transforms.delta.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A plain reader of {@code gold/bars_1m} on a local lake, for the freshness suite: each version's
 * snapshot through {@link DeltaTable#scan()} (no Beam pipeline). {@link #poll()} returns every
 * version committed since the last call (not only the latest), each with the {@code trade_count} of
 * every bar in that version's snapshot and the time the version became visible: the modification
 * time of its {@code _delta_log} commit file. Data files are read once and cached by path. Not
 * thread-safe.
 */
final class GoldBarsReader {

  /** A bar's identity: symbol and start of its minute. */
  record BarKey(String symbol, Instant barStart) {}

  /** One table version: when its commit file appeared and the trade count of every bar. */
  record Version(long version, Instant visibleAt, Map<BarKey, Long> tradeCounts) {}

  private final String location;
  private final Path logDir;
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

  private Map<BarKey, Long> read(long version) {
    DeltaScan scan = DeltaTable.at(location).scan().atVersion(version);
    Set<String> current = new HashSet<>();
    Map<BarKey, Long> counts = new HashMap<>();
    for (DeltaScan.ScanFile f : scan.files()) {
      current.add(f.path());
      Map<BarKey, Long> rows = rowsByFile.get(f.path());
      if (rows == null) {
        rows = tradeCounts(scan.rows(f));
        rowsByFile.put(f.path(), rows);
      }
      counts.putAll(rows);
    }
    rowsByFile.keySet().retainAll(current);
    return counts;
  }

  private static Map<BarKey, Long> tradeCounts(List<GenericRecord> bars) {
    Map<BarKey, Long> rows = new HashMap<>();
    for (GenericRecord r : bars) {
      rows.put(
          new BarKey(r.get("symbol").toString(), instant(r.get("bar_start"))),
          ((Number) r.get("trade_count")).longValue());
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

package dev.ticklake.orchestrator.core.quality;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Reads the data-quality metrics of {@code silver/dq_metrics} without Beam: the Delta log's latest
 * snapshot (delta-standalone) names the data files, which are read with parquet-avro (the
 * delta-standalone row reader cannot read TIMESTAMP_MICROS columns).
 *
 * <p>Answers per batch (latest first), each with its rows per expectation ({@code parse} first,
 * then the table's expectations in declaration order). Files are read newest first and reading
 * stops once {@code limit} batches are complete: a file is written after its batch started, so a
 * file older than the {@code limit}-th batch's start cannot hold a newer batch. Partitions ({@code
 * metric_date}) outside {@code [from, to)} are not read.
 */
public final class DataQualityReader {

  /** One expectation's counts in one batch. */
  public record ExpectationCounts(
      String expectation, String action, long passed, long failed, long dropped) {}

  /** The metrics of one batch. */
  public record BatchMetrics(
      String batchId,
      String runId,
      String tableId,
      Instant recordedAt,
      List<ExpectationCounts> expectations) {}

  private final String lakeRoot;

  public DataQualityReader(String lakeRoot) {
    this.lakeRoot = Objects.requireNonNull(lakeRoot, "lakeRoot");
  }

  /**
   * The metrics of {@code table} (a catalog id such as {@code silver/ticks}) recorded in {@code
   * [from, to)}, latest batch first, at most {@code limit} batches.
   */
  public List<BatchMetrics> read(
      TableDef table, Optional<Instant> from, Optional<Instant> to, int limit) {
    String location = TableCatalog.SILVER_DQ_METRICS.location(lakeRoot);
    DeltaTable dq = DeltaTable.at(location);
    List<AddFile> files = new ArrayList<>(dq.filesAt(-1));
    files.removeIf(f -> !datesOverlap(f.getPartitionValues().get("metric_date"), from, to));
    files.sort(Comparator.comparingLong(AddFile::getModificationTime).reversed());

    Map<String, List<GenericRecord>> byBatch = new LinkedHashMap<>();
    Map<String, Long> startedMicros = new LinkedHashMap<>();
    Configuration conf = new Configuration();
    for (AddFile f : files) {
      if (byBatch.size() >= limit) {
        long limitStartMillis =
            startedMicros.values().stream()
                    .sorted(Comparator.reverseOrder())
                    .skip(limit - 1L)
                    .findFirst()
                    .orElse(Long.MIN_VALUE)
                / 1000;
        if (f.getModificationTime() < limitStartMillis) {
          break;
        }
      }
      for (GenericRecord r : rows(conf, location, f.getPath())) {
        if (!table.id().equals(String.valueOf(r.get("table_id")))) {
          continue;
        }
        long micros = (Long) r.get("recorded_at");
        Instant at =
            Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        if (from.isPresent() && at.isBefore(from.get())
            || to.isPresent() && !at.isBefore(to.get())) {
          continue;
        }
        String key = r.get("batch_id") + "\u0000" + r.get("run_id");
        byBatch.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        startedMicros.merge(key, micros, Math::max);
      }
    }
    List<BatchMetrics> out = new ArrayList<>();
    for (Map.Entry<String, List<GenericRecord>> e : byBatch.entrySet()) {
      out.add(batch(table, e.getValue(), startedMicros.get(e.getKey())));
    }
    out.sort(
        Comparator.comparing(BatchMetrics::recordedAt)
            .reversed()
            .thenComparing(BatchMetrics::batchId, Comparator.reverseOrder()));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  private static BatchMetrics batch(TableDef table, List<GenericRecord> rows, long micros) {
    List<String> order = new ArrayList<>();
    order.add("parse");
    table.expectations().stream().map(Expectation::name).forEach(order::add);
    List<ExpectationCounts> counts = new ArrayList<>();
    for (GenericRecord r : rows) {
      counts.add(
          new ExpectationCounts(
              String.valueOf(r.get("expectation")),
              String.valueOf(r.get("action")),
              (Long) r.get("passed"),
              (Long) r.get("failed"),
              (Long) r.get("dropped")));
    }
    counts.sort(
        Comparator.comparingInt(
                (ExpectationCounts c) -> {
                  int i = order.indexOf(c.expectation());
                  return i < 0 ? Integer.MAX_VALUE : i;
                })
            .thenComparing(ExpectationCounts::expectation));
    GenericRecord first = rows.get(0);
    return new BatchMetrics(
        String.valueOf(first.get("batch_id")),
        String.valueOf(first.get("run_id")),
        String.valueOf(first.get("table_id")),
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000),
        List.copyOf(counts));
  }

  private static boolean datesOverlap(
      String metricDate, Optional<Instant> from, Optional<Instant> to) {
    if (metricDate == null) {
      return true;
    }
    LocalDate date = LocalDate.parse(metricDate);
    Instant dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant dayEnd = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return (from.isEmpty() || dayEnd.isAfter(from.get()))
        && (to.isEmpty() || dayStart.isBefore(to.get()));
  }

  private static List<GenericRecord> rows(Configuration conf, String tableRoot, String uriPath) {
    Path file;
    try {
      URI uri = new URI(uriPath);
      file = uri.isAbsolute() ? new Path(uri) : new Path(new Path(tableRoot), new Path(uri));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Invalid file path in the Delta log: " + uriPath, e);
    }
    List<GenericRecord> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, conf))
            .withDataModel(GenericData.get())
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        out.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " of silver/dq_metrics", e);
    }
    return out;
  }
}

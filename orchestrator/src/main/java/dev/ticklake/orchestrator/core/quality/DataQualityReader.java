package dev.ticklake.orchestrator.core.quality;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaScan;
import dev.ticklake.transforms.delta.DeltaTable;
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
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the data-quality metrics of {@code silver/dq_metrics} without Beam, through {@link
 * DeltaTable#scan()}: the latest snapshot's files, read in the catalog's schema.
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
    DeltaScan scan =
        DeltaTable.at(TableCatalog.SILVER_DQ_METRICS.location(lakeRoot))
            .scan()
            .withSchema(TableCatalog.SILVER_DQ_METRICS.schema())
            .withPartitionFilter(p -> datesOverlap(p.get("metric_date"), from, to));
    List<DeltaScan.ScanFile> files = new ArrayList<>(scan.files());
    files.sort(Comparator.comparingLong(DeltaScan.ScanFile::modificationTime).reversed());

    Map<String, List<GenericRecord>> byBatch = new LinkedHashMap<>();
    Map<String, Long> startedMicros = new LinkedHashMap<>();
    for (DeltaScan.ScanFile f : files) {
      if (byBatch.size() >= limit) {
        long limitStartMillis =
            startedMicros.values().stream()
                    .sorted(Comparator.reverseOrder())
                    .skip(limit - 1L)
                    .findFirst()
                    .orElse(Long.MIN_VALUE)
                / 1000;
        if (f.modificationTime() < limitStartMillis) {
          break;
        }
      }
      for (GenericRecord r : scan.rows(f)) {
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
}

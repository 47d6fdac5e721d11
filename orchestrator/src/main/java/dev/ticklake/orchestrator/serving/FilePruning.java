package dev.ticklake.orchestrator.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which data files of a table version a query needs, decided from each file's partition values and
 * its statistics in the Delta log ({@code minValues}/{@code maxValues}): the symbols asked and the
 * time range, on the table's symbol, time and day columns. Conservative: a file is skipped only
 * when it cannot hold a row the query keeps (a missing statistic keeps the file; the reader applies
 * the exact row filter after). Timestamp maxima are widened by 1 ms, since Delta writers truncate
 * them to milliseconds. Pure and immutable.
 *
 * <p>Why not Kernel's filter: Kernel prunes while it replays the log, so every query replayed the
 * whole log again (29 % of the dashboard's request CPU); the read layer now replays a version once
 * and prunes the listed files here.
 */
record FilePruning(
    Optional<String> symbolColumn,
    Set<String> symbols,
    Map<String, Boolean> timeColumns,
    Optional<Instant> from,
    Optional<Instant> to) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code timeColumns}: the time and day columns to range-check, each mapped to true when it holds
   * dates (days), false for timestamps.
   */
  FilePruning {
    symbols = Set.copyOf(symbols);
    timeColumns = Map.copyOf(timeColumns);
  }

  /** Keeps every file. */
  static FilePruning none() {
    return new FilePruning(
        Optional.empty(), Set.of(), Map.of(), Optional.empty(), Optional.empty());
  }

  /** The min and max values of a file's columns, as the log writes them (text). */
  record FileStats(Map<String, String> min, Map<String, String> max) {
    static final FileStats NONE = new FileStats(Map.of(), Map.of());

    /** Parsed from an {@code add.stats} JSON string; none when absent or unreadable. */
    static FileStats parse(String json) {
      if (json == null || json.isBlank()) {
        return NONE;
      }
      try {
        JsonNode stats = JSON.readTree(json);
        return new FileStats(values(stats.get("minValues")), values(stats.get("maxValues")));
      } catch (IOException e) {
        return NONE;
      }
    }

    private static Map<String, String> values(JsonNode node) {
      Map<String, String> out = new HashMap<>();
      if (node != null && node.isObject()) {
        node.fields()
            .forEachRemaining(
                e -> {
                  if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asText());
                  }
                });
      }
      return out;
    }
  }

  /** Whether a file with these partition values and statistics may hold a matching row. */
  boolean mayMatch(Map<String, String> partitionValues, FileStats stats) {
    if (symbolColumn.isPresent() && !symbols.isEmpty()) {
      String column = symbolColumn.get();
      if (partitionValues.containsKey(column)) {
        if (!symbols.contains(partitionValues.get(column))) {
          return false;
        }
      } else if (!anySymbolWithin(stats.min().get(column), stats.max().get(column))) {
        return false;
      }
    }
    if (from.isEmpty() && to.isEmpty()) {
      return true;
    }
    for (Map.Entry<String, Boolean> c : timeColumns.entrySet()) {
      String column = c.getKey();
      boolean days = c.getValue();
      String partition = partitionValues.get(column);
      boolean keep =
          partitionValues.containsKey(column)
              ? partition == null || overlaps(partition, partition, days)
              : overlaps(stats.min().get(column), stats.max().get(column), days);
      if (!keep) {
        return false;
      }
    }
    return true;
  }

  private boolean anySymbolWithin(String min, String max) {
    if (min == null || max == null) {
      return true;
    }
    for (String s : symbols) {
      if (s.compareTo(min) >= 0 && s.compareTo(max) <= 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether [{@code min}, {@code max}] meets the query's range; unknown bounds meet anything. */
  private boolean overlaps(String min, String max, boolean days) {
    try {
      if (days) {
        Optional<LocalDate> lo = Optional.ofNullable(min).map(LocalDate::parse);
        Optional<LocalDate> hi = Optional.ofNullable(max).map(LocalDate::parse);
        return !(hi.isPresent() && from.isPresent() && hi.get().isBefore(day(from.get())))
            && !(lo.isPresent() && to.isPresent() && lo.get().isAfter(day(to.get())));
      }
      Optional<Instant> lo = Optional.ofNullable(min).map(FilePruning::instant);
      Optional<Instant> hi = Optional.ofNullable(max).map(m -> instant(m).plusMillis(1));
      return !(hi.isPresent() && from.isPresent() && hi.get().isBefore(from.get()))
          && !(lo.isPresent() && to.isPresent() && lo.get().isAfter(to.get()));
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  private static Instant instant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }

  private static LocalDate day(Instant at) {
    return at.atOffset(ZoneOffset.UTC).toLocalDate();
  }
}

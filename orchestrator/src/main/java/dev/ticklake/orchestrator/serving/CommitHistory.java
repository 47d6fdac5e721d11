package dev.ticklake.orchestrator.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Per-commit facts of a lake table, for pipeline health: when each version was committed, how many
 * rows it added (from the files' statistics), the newest event time it carried (the maximum of the
 * time column in the added files' statistics) and the freshness, commit time minus that event time.
 * One row per version, newest {@code maxCommits} at most, cached per (table, version): a commit's
 * facts never change.
 */
public final class CommitHistory {
  public static final List<String> COLUMNS =
      List.of("time", "table", "version", "rows_added", "newest_event", "freshness_seconds");

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Key(String location, long version) {}

  private final LakeReader lake;
  private final int maxCommits;
  private final Cache<Key, Object[]> commits = Caffeine.newBuilder().maximumSize(20_000).build();

  public CommitHistory(LakeReader lake, int maxCommits) {
    this.lake = lake;
    this.maxCommits = maxCommits;
  }

  /** The commits of {@code tableId} made in {@code [from, to]}, oldest first. */
  public RowSet commits(String tableId, String timeColumn, Instant from, Instant to) {
    String location = lake.catalogLocation(tableId);
    DeltaTable table = DeltaTable.at(location);
    long latest = lake.latestVersionAt(location);
    List<Object[]> rows = new ArrayList<>();
    for (long v = latest; v >= 0 && rows.size() < maxCommits; v--) {
      long version = v;
      Object[] row =
          commits.get(new Key(location, v), k -> commit(table, tableId, timeColumn, version));
      Instant at = (Instant) row[0];
      if (at.isBefore(from)) {
        break;
      }
      if (!at.isAfter(to)) {
        rows.add(row);
      }
    }
    Collections.reverse(rows);
    return new RowSet(latest, COLUMNS, rows);
  }

  private static Object[] commit(DeltaTable table, String tableId, String timeColumn, long v) {
    Instant at = Instant.ofEpochMilli(table.commitInfo(v).getTimestamp().getTime());
    long rowsAdded = 0;
    Instant newest = null;
    for (AddFile f : table.filesAddedBetween(v - 1, v)) {
      JsonNode stats = parse(f.getStats());
      if (stats == null) {
        continue;
      }
      rowsAdded += stats.path("numRecords").asLong(0);
      Optional<Instant> max = instant(stats.path("maxValues").path(timeColumn).asText(null));
      if (max.isPresent() && (newest == null || max.get().isAfter(newest))) {
        newest = max.get();
      }
    }
    Double freshness = newest == null ? null : Duration.between(newest, at).toMillis() / 1000.0;
    return new Object[] {at, tableId, v, rowsAdded, newest, freshness};
  }

  private static JsonNode parse(String stats) {
    if (stats == null || stats.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(stats);
    } catch (IOException e) {
      return null;
    }
  }

  private static Optional<Instant> instant(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}

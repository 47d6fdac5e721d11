package dev.ticklake.orchestrator.serving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows read from one version of a table: column names and one {@code Object[]} per row, values as
 * plain Java types (String, Long, Integer, Double, Boolean, {@link java.time.Instant} for
 * timestamps, {@link java.time.LocalDate} for dates, null). Immutable once built; shared by the
 * cache, so callers must not change the arrays.
 */
public final class RowSet {
  private final long version;
  private final List<String> columns;
  private final Map<String, Integer> index;
  private final List<Object[]> rows;

  public RowSet(long version, List<String> columns, List<Object[]> rows) {
    this.version = version;
    this.columns = List.copyOf(columns);
    Map<String, Integer> idx = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      idx.put(columns.get(i), i);
    }
    this.index = Collections.unmodifiableMap(idx);
    this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
  }

  /** No rows (the table does not exist yet: version -1). */
  public static RowSet empty(long version, List<String> columns) {
    return new RowSet(version, columns, List.of());
  }

  /** The table version the rows were read at (-1: no table). */
  public long version() {
    return version;
  }

  public List<String> columns() {
    return columns;
  }

  public List<Object[]> rows() {
    return rows;
  }

  public int size() {
    return rows.size();
  }

  public boolean hasColumn(String name) {
    return index.containsKey(name);
  }

  /** The position of {@code column}; IllegalArgumentException when the rows do not have it. */
  public int indexOf(String column) {
    Integer i = index.get(Objects.requireNonNull(column, "column"));
    if (i == null) {
      throw new IllegalArgumentException("no column '" + column + "' (columns: " + columns + ")");
    }
    return i;
  }

  /** One row as a map in column order (for flat JSON answers). */
  public Map<String, Object> asMap(Object[] row) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      m.put(columns.get(i), row[i]);
    }
    return m;
  }

  /** A rough size in bytes, for the cache's weigher (object headers and boxed values included). */
  public long estimatedBytes() {
    return estimatedBytes(rows.size(), columns.size());
  }

  /** The estimate of {@link #estimatedBytes()} for {@code rows} rows of {@code columns} values. */
  static long estimatedBytes(int rows, int columns) {
    return 64L + rows * (32L + columns * 24L);
  }
}

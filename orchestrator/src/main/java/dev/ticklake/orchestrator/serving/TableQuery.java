package dev.ticklake.orchestrator.serving;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What to read from one served table: rows of {@code symbols} (all when empty) whose time lies in
 * {@code [from, to]} (unbounded when absent; a date column matches by day), with {@code columns}
 * (all when empty). A value type: it is the cache key together with the table version.
 */
public record TableQuery(
    String table,
    Set<String> symbols,
    Optional<Instant> from,
    Optional<Instant> to,
    List<String> columns) {

  public TableQuery {
    symbols = Set.copyOf(symbols);
    columns = List.copyOf(columns);
  }

  /** Every row and column of {@code table}. */
  public static TableQuery all(String table) {
    return new TableQuery(table, Set.of(), Optional.empty(), Optional.empty(), List.of());
  }

  /** The rows of {@code symbols} in {@code [from, to]}, every column. */
  public static TableQuery range(String table, Set<String> symbols, Instant from, Instant to) {
    return new TableQuery(table, symbols, Optional.of(from), Optional.of(to), List.of());
  }

  public TableQuery withColumns(List<String> cols) {
    return new TableQuery(table, symbols, from, to, cols);
  }
}

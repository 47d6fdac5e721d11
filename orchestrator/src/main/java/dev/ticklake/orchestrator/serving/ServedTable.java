package dev.ticklake.orchestrator.serving;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table the read layer serves, and which of its columns play the roles of time (the x axis and
 * the range filter), day (a date partition column, for pruning) and symbol. Roles are candidates,
 * resolved against the schema of the version read, so that the provisional ML tables are served
 * from whatever columns they have.
 */
public record ServedTable(
    TableDef def, List<String> timeCandidates, List<String> dateCandidates, String symbolColumn) {

  private static final Map<String, ServedTable> ALL = index();

  private static Map<String, ServedTable> index() {
    Map<String, ServedTable> m = new LinkedHashMap<>();
    for (ServedTable t :
        List.of(
            market(TableCatalog.GOLD_BARS_1M),
            market(TableCatalog.GOLD_BARS_1D),
            market(TableCatalog.GOLD_ANOMALIES),
            new ServedTable(
                TableCatalog.GOLD_DAILY_METRICS,
                List.of("trading_date"),
                List.of("trading_date"),
                "symbol"),
            new ServedTable(
                TableCatalog.GOLD_PREDICTIONS,
                List.of("bar_start", "scored_at", "ts"),
                List.of("trade_date"),
                "symbol"),
            new ServedTable(
                TableCatalog.GOLD_BACKTESTS,
                List.of("created_at", "to_ts", "bar_start", "ts"),
                List.of("created_date", "trade_date"),
                "symbol"),
            new ServedTable(
                TableCatalog.GOLD_MODELS,
                List.of("created_at", "trained_at"),
                List.of("created_date"),
                "symbol"),
            new ServedTable(
                TableCatalog.SILVER_DQ_METRICS,
                List.of("recorded_at"),
                List.of("metric_date"),
                null),
            new ServedTable(
                TableCatalog.SILVER_QUARANTINE,
                List.of("quarantined_at"),
                List.of("quarantine_date"),
                null))) {
      m.put(t.def().id(), t);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private static final List<String> ORDER = List.copyOf(ALL.keySet());

  private static ServedTable market(TableDef def) {
    return new ServedTable(def, List.of("bar_start"), List.of("trade_date"), "symbol");
  }

  /** The ids of every served table, in a fixed order. */
  public static List<String> ids() {
    return ORDER;
  }

  /** The served table with catalog id {@code id}, if it is one. */
  public static Optional<ServedTable> byId(String id) {
    return Optional.ofNullable(ALL.get(id));
  }

  public String id() {
    return def.id();
  }

  /** The first time candidate the columns have. */
  public Optional<String> timeColumn(Iterable<String> columns) {
    return first(timeCandidates, columns);
  }

  public Optional<String> dateColumn(Iterable<String> columns) {
    return first(dateCandidates, columns);
  }

  public Optional<String> symbolColumn(Iterable<String> columns) {
    return symbolColumn == null ? Optional.empty() : first(List.of(symbolColumn), columns);
  }

  private static Optional<String> first(List<String> candidates, Iterable<String> columns) {
    for (String c : candidates) {
      for (String have : columns) {
        if (have.equals(c)) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }
}

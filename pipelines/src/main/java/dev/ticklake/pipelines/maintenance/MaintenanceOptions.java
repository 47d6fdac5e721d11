package dev.ticklake.pipelines.maintenance;

import dev.ticklake.pipelines.TickLakeOptions;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the maintenance jobs: which tables of the catalog they work on. */
public interface MaintenanceOptions extends TickLakeOptions {
  @Description(
      "Catalog ids of the tables to maintain, comma-separated (e.g. silver/ticks,gold/bars_1m);"
          + " empty means every table of the catalog")
  @Default.InstanceFactory(TickLakeOptions.EmptyList.class)
  List<String> getTables();

  void setTables(List<String> value);

  /**
   * The catalog tables named by {@link #getTables()} (all of them when empty) that exist under the
   * lake root; a table not created yet is left out, an unknown id is an {@link
   * IllegalArgumentException} listing the known ones.
   */
  static List<TableDef> existingTables(MaintenanceOptions options) {
    List<String> ids = options.getTables();
    List<TableDef> chosen =
        ids.isEmpty()
            ? TableCatalog.all()
            : ids.stream().map(String::strip).map(MaintenanceOptions::byId).toList();
    return chosen.stream()
        .filter(t -> DeltaTable.at(t.location(options.getLakeRoot())).exists())
        .toList();
  }

  private static TableDef byId(String id) {
    try {
      return TableCatalog.byId(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tables: " + e.getMessage(), e);
    }
  }
}

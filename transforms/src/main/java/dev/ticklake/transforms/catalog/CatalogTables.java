package dev.ticklake.transforms.catalog;

import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTableSpec;

/**
 * The bridge from TickLake's table catalog to DeltaIO: DeltaIO takes a {@link DeltaTableSpec} and
 * knows nothing of the catalog, so the pipelines turn a {@link TableDef} into a spec here.
 */
public final class CatalogTables {
  private CatalogTables() {}

  /**
   * The spec of a catalog table under {@code lakeRoot}: its location, its id as the name, its
   * schema, partition and key columns, and its write mode.
   *
   * @throws IllegalArgumentException if {@code lakeRoot} is null or blank
   */
  public static DeltaTableSpec spec(TableDef table, String lakeRoot) {
    return DeltaTableSpec.at(table.location(lakeRoot))
        .withName(table.id())
        .withSchema(table.schema())
        .withPartitionColumns(table.partitionColumns())
        .withKeyColumns(table.keyColumns())
        .withWriteMode(table.writeMode());
  }
}

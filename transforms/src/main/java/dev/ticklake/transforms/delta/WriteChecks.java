package dev.ticklake.transforms.delta;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.transforms.delta.internal.DeltaSchemas;
import io.delta.standalone.types.StructType;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The checks a {@link DeltaWrite} makes while the pipeline is built, before any file is written.
 */
final class WriteChecks {
  private WriteChecks() {}

  /** Settings that only make sense together. */
  static void settings(DeltaTableSpec table, WriteOptions options) {
    String name = table.name();
    if (options.keepExistingOnMatch() && table.writeMode() != WriteMode.UPSERT) {
      throw new IllegalArgumentException(
          "DeltaIO.write() to " + name + ": withKeepExistingOnMatch() needs UPSERT mode");
    }
    if (options.partitionsToReplace() != null
        && table.writeMode() != WriteMode.REPLACE_PARTITIONS) {
      throw new IllegalArgumentException(
          "DeltaIO.write() to " + name + ": withPartitionsToReplace() needs REPLACE_PARTITIONS");
    }
    if (table.writeMode() == WriteMode.UPSERT && table.keyColumns().isEmpty()) {
      throw new IllegalArgumentException(
          "DeltaIO.write() to " + name + ": UPSERT needs withKeyColumns(...)");
    }
  }

  /** Fails at construction, before any file is written, when the batch cannot fit the table. */
  static void fitsExistingTable(DeltaTableSpec table, WriteOptions options, Schema schema) {
    DeltaTable existing = DeltaTable.at(table.location(), options.hadoopConf());
    Optional<StructType> existingSchema = existing.schema();
    if (existingSchema.isEmpty()) {
      return;
    }
    DeltaSchemas.reconcile(
        table.name(),
        existingSchema.get(),
        DeltaSchemas.toDelta(schema),
        options.schemaEvolution());
    List<String> tablePartitions = existing.partitionColumns();
    if (!tablePartitions.equals(table.partitionColumns())) {
      throw new DeltaSchemaMismatchException(
          String.format(
              "Cannot write to %s: the table is partitioned by %s but the writer by %s; fix the"
                  + " writer",
              table.name(), tablePartitions, table.partitionColumns()));
    }
  }
}

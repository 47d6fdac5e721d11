package dev.ticklake.transforms.delta;

import dev.ticklake.schemas.catalog.WriteMode;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import org.apache.avro.Schema;

/**
 * What DeltaIO needs to know about one table: where it lives, the name used in messages and
 * metrics, the row schema, partition and key columns, and how batches are written. A plain value:
 * DeltaIO takes it from any source (a hand-made spec, or a catalog adapter such as {@code
 * CatalogTables.spec}).
 *
 * <p>Immutable and {@link Serializable}. Each {@code withX} returns a new spec and rejects an
 * invalid argument at once with an {@link IllegalArgumentException}; rules that involve several
 * fields (an {@code UPSERT} needs key columns, columns must be in the schema) are checked when a
 * transform using the spec is built.
 *
 * @param location a local path or any Hadoop URI ({@code file:}, {@code hdfs:}, {@code s3a:})
 * @param name the name in messages and metrics (default: the last two path segments, e.g. {@code
 *     silver/ticks})
 * @param schema the Avro record schema of one row; null: taken from the input's coder (writes) or
 *     the table's log (reads)
 * @param partitionColumns Delta partition columns, outermost first (string, int, long or date)
 * @param keyColumns the columns that identify a row (required by {@link WriteMode#UPSERT})
 * @param writeMode how a batch lands: {@code APPEND} (default), {@code REPLACE_PARTITIONS} or
 *     {@code UPSERT}
 */
public record DeltaTableSpec(
    String location,
    String name,
    Schema schema,
    List<String> partitionColumns,
    List<String> keyColumns,
    WriteMode writeMode)
    implements Serializable {

  /** Copies the lists; checks each field on its own. */
  public DeltaTableSpec {
    requireText("location", location);
    requireText("name", name);
    if (schema != null && schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "DeltaTableSpec " + name + ": the schema must be a record, got " + schema.getType());
    }
    partitionColumns = columns(name, "partition", partitionColumns);
    keyColumns = columns(name, "key", keyColumns);
    if (writeMode == null) {
      throw new IllegalArgumentException("DeltaTableSpec " + name + ": writeMode is null");
    }
  }

  /** An unpartitioned, unkeyed, append-only table at {@code location}, schema to be given. */
  public static DeltaTableSpec at(String location) {
    requireText("location", location);
    return new DeltaTableSpec(
        location, defaultName(location), null, List.of(), List.of(), WriteMode.APPEND);
  }

  /** The name used in messages and metrics. */
  public DeltaTableSpec withName(String newName) {
    return new DeltaTableSpec(location, newName, schema, partitionColumns, keyColumns, writeMode);
  }

  /** The rows' Avro record schema. */
  public DeltaTableSpec withSchema(Schema newSchema) {
    if (newSchema == null) {
      throw new IllegalArgumentException("DeltaTableSpec " + name + ": schema is null");
    }
    return new DeltaTableSpec(location, name, newSchema, partitionColumns, keyColumns, writeMode);
  }

  /** Partition columns, outermost first (string, int, long or date). */
  public DeltaTableSpec withPartitionColumns(List<String> columns) {
    return new DeltaTableSpec(location, name, schema, columns, keyColumns, writeMode);
  }

  /** Key columns: required by {@link WriteMode#UPSERT}. */
  public DeltaTableSpec withKeyColumns(List<String> columns) {
    return new DeltaTableSpec(location, name, schema, partitionColumns, columns, writeMode);
  }

  /** How a batch lands: append, replace partitions or upsert by key. */
  public DeltaTableSpec withWriteMode(WriteMode mode) {
    return new DeltaTableSpec(location, name, schema, partitionColumns, keyColumns, mode);
  }

  /** The last two segments of a location: {@code lake/silver/ticks} gives {@code silver/ticks}. */
  static String defaultName(String location) {
    String[] parts = location.replaceAll("/+$", "").split("/");
    return parts.length >= 2
        ? parts[parts.length - 2] + "/" + parts[parts.length - 1]
        : parts[parts.length - 1];
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("DeltaTableSpec: " + what + " is null or blank");
    }
  }

  private static List<String> columns(String table, String role, List<String> columns) {
    if (columns == null) {
      throw new IllegalArgumentException(
          "DeltaTableSpec " + table + ": " + role + " columns are null; pass List.of()");
    }
    List<String> copy = List.copyOf(columns);
    if (new HashSet<>(copy).size() != copy.size()) {
      throw new IllegalArgumentException(
          "DeltaTableSpec " + table + ": " + role + " columns " + copy + " repeat a column");
    }
    for (String c : copy) {
      if (c.isBlank()) {
        throw new IllegalArgumentException(
            "DeltaTableSpec " + table + ": blank " + role + " column in " + copy);
      }
    }
    return copy;
  }
}

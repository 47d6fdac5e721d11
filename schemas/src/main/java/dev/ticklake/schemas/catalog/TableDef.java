package dev.ticklake.schemas.catalog;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The definition of one lake table: where it lives, its columns, how it is partitioned, keyed and
 * written, and which expectations its rows must meet.
 *
 * <p><b>Immutable</b> (the lists are unmodifiable copies; the Avro {@link Schema} is shared and
 * must not be mutated) and {@link Serializable}, so it can be captured by Beam transforms.
 *
 * <p><b>Validated on construction</b>, so every instance is consistent: the id is {@code
 * <layer>/<snake_case_name>} and matches {@code layer}; {@code path} is relative; the schema is a
 * record whose columns are snake_case; every partition and key column exists; partition columns are
 * non-nullable {@code string}, {@code int}, {@code date} or {@code long} (not timestamps); key
 * columns are non-nullable; neither list repeats a column; {@code UPSERT} has key columns, {@code
 * REPLACE_PARTITIONS} has partition columns; expectation names are unique.
 *
 * @param id catalog id, e.g. {@code "silver/ticks"}
 * @param layer the medallion layer, equal to the id's first segment
 * @param path location relative to the lake root; in {@link TableCatalog} equal to the id
 * @param schema the Avro record schema of one row (column order is the schema's field order)
 * @param partitionColumns Delta partition columns, outermost first; may be empty
 * @param keyColumns the columns that identify a row; may be empty
 * @param writeMode how pipelines write the table
 * @param expectations data-quality rules on the table's rows; may be empty
 * @param description one sentence for humans (catalog listings, lineage)
 */
public record TableDef(
    String id,
    Layer layer,
    String path,
    Schema schema,
    List<String> partitionColumns,
    List<String> keyColumns,
    WriteMode writeMode,
    List<Expectation> expectations,
    String description)
    implements Serializable {

  private static final Pattern ID = Pattern.compile("(bronze|silver|gold)/[a-z][a-z0-9_]*");
  private static final Pattern COLUMN = Pattern.compile("[a-z][a-z0-9_]*");

  /** Copies the lists and checks the rules listed in the class documentation. */
  public TableDef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(writeMode, "writeMode");
    Objects.requireNonNull(description, "description");
    partitionColumns = List.copyOf(partitionColumns);
    keyColumns = List.copyOf(keyColumns);
    expectations = List.copyOf(expectations);

    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "table id '" + id + "' must be <bronze|silver|gold>/<snake_case_name>");
    }
    if (!id.startsWith(layer.directory() + "/")) {
      throw invalid(id, "the id does not start with its layer '" + layer.directory() + "/'");
    }
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("..")) {
      throw invalid(id, "path '" + path + "' must be relative to the lake root, without '..'");
    }
    if (schema.getType() != Schema.Type.RECORD) {
      throw invalid(id, "the schema must be a record, got " + schema.getType());
    }
    for (Schema.Field field : schema.getFields()) {
      if (!COLUMN.matcher(field.name()).matches()) {
        throw invalid(id, "column '" + field.name() + "' is not snake_case");
      }
    }
    for (String column : partitionColumns) {
      Schema type = columnType(id, schema, "partition", column);
      if (!isPartitionType(type)) {
        throw invalid(
            id,
            "partition column '"
                + column
                + "' must be a non-nullable string, int, date or long, got "
                + describe(type));
      }
    }
    for (String column : keyColumns) {
      Schema type = columnType(id, schema, "key", column);
      if (type.isNullable()) {
        throw invalid(id, "key column '" + column + "' must not be nullable");
      }
    }
    requireDistinct(id, "partition column", partitionColumns);
    requireDistinct(id, "key column", keyColumns);
    requireDistinct(id, "expectation", expectations.stream().map(Expectation::name).toList());
    if (writeMode == WriteMode.UPSERT && keyColumns.isEmpty()) {
      throw invalid(id, "write mode UPSERT needs key columns");
    }
    if (writeMode == WriteMode.REPLACE_PARTITIONS && partitionColumns.isEmpty()) {
      throw invalid(id, "write mode REPLACE_PARTITIONS needs partition columns");
    }
  }

  /** The column names in schema order. */
  public List<String> columnNames() {
    return schema.getFields().stream().map(Schema.Field::name).toList();
  }

  /**
   * The table's full location under {@code lakeRoot}: the root without trailing slashes, one {@code
   * /}, then {@link #path()}. Works for plain paths and URIs alike: {@code ./lake}, {@code
   * /abs/lake}, {@code file:/x}, {@code hdfs://nn:8020/lake}, {@code s3a://bucket/lake}, each with
   * or without a trailing slash.
   *
   * @throws IllegalArgumentException if {@code lakeRoot} is null or blank
   */
  public String location(String lakeRoot) {
    if (lakeRoot == null || lakeRoot.isBlank()) {
      throw new IllegalArgumentException(
          "lake root is empty; pass a directory or URI such as ./lake or s3a://bucket/lake");
    }
    int end = lakeRoot.length();
    while (end > 0 && lakeRoot.charAt(end - 1) == '/') {
      end--;
    }
    return lakeRoot.substring(0, end) + "/" + path;
  }

  private static Schema columnType(String id, Schema schema, String role, String column) {
    Schema.Field field = schema.getField(column);
    if (field == null) {
      String known =
          schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", "));
      throw invalid(
          id, role + " column '" + column + "' is not in the schema (columns: " + known + ")");
    }
    return field.schema();
  }

  private static boolean isPartitionType(Schema type) {
    LogicalType logical = type.getLogicalType();
    return switch (type.getType()) {
      case STRING -> true;
      case INT -> logical == null || logical instanceof LogicalTypes.Date;
      case LONG -> logical == null;
      default -> false;
    };
  }

  private static String describe(Schema type) {
    if (type.getType() == Schema.Type.UNION) {
      return type.getTypes().stream()
          .filter(branch -> branch.getType() != Schema.Type.NULL)
          .map(branch -> "nullable " + describe(branch))
          .collect(Collectors.joining(" or "));
    }
    LogicalType logical = type.getLogicalType();
    return logical != null ? logical.getName() : type.getType().getName();
  }

  private static void requireDistinct(String id, String what, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw invalid(id, what + " '" + name + "' is listed twice");
      }
    }
  }

  private static IllegalArgumentException invalid(String id, String problem) {
    return new IllegalArgumentException("table " + id + ": " + problem);
  }
}

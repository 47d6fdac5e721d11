package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DeltaSchemaMismatchException;
import io.delta.standalone.types.BinaryType;
import io.delta.standalone.types.BooleanType;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DateType;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.FloatType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * Converts between the Avro record schemas TickLake's tables are declared in and Delta's schema,
 * and checks that a batch fits a table.
 *
 * <p>Supported column types: string, boolean, int, long, float, double, bytes, {@code date} (Avro
 * int) and {@code timestamp-micros} (Avro long, UTC; Delta {@code timestamp}). A column is nullable
 * exactly when its Avro type is a union of {@code null} and one of those. Nested types are rejected
 * with a clear error: the lake stores flat rows.
 */
public final class DeltaSchemas {
  private DeltaSchemas() {}

  /** The Delta schema for a flat Avro record schema. */
  public static StructType toDelta(Schema avro) {
    if (avro.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("Expected an Avro record schema, got " + avro.getType());
    }
    List<StructField> fields = new ArrayList<>();
    for (Schema.Field f : avro.getFields()) {
      Schema type = nonNull(f.schema());
      fields.add(new StructField(f.name(), toDeltaType(f.name(), type), isNullable(f.schema())));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** An Avro record schema for a Delta schema; nullable columns become {@code ["null", T]}. */
  public static Schema toAvro(StructType delta, String recordName) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(recordName).namespace("dev.ticklake.tables").fields();
    for (StructField f : delta.getFields()) {
      Schema type = toAvroType(f.getName(), f.getDataType());
      if (f.isNullable()) {
        fields =
            fields
                .name(f.getName())
                .type(Schema.createUnion(Schema.create(Schema.Type.NULL), type))
                .withDefault(null);
      } else {
        fields = fields.name(f.getName()).type(type).noDefault();
      }
    }
    return fields.endRecord();
  }

  /** True when the field's Avro type is a union containing {@code null}. */
  public static boolean isNullable(Schema fieldSchema) {
    if (fieldSchema.getType() != Schema.Type.UNION) {
      return false;
    }
    return fieldSchema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
  }

  /** The non-null branch of a nullable union, or the schema itself. */
  public static Schema nonNull(Schema fieldSchema) {
    if (fieldSchema.getType() != Schema.Type.UNION) {
      return fieldSchema;
    }
    List<Schema> branches =
        fieldSchema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
    if (branches.size() != 1) {
      throw new IllegalArgumentException(
          "Unsupported union " + fieldSchema + ": only [\"null\", T] unions are supported");
    }
    return branches.get(0);
  }

  private static DataType toDeltaType(String column, Schema s) {
    String logical = s.getLogicalType() == null ? null : s.getLogicalType().getName();
    switch (s.getType()) {
      case STRING:
        return new StringType();
      case BOOLEAN:
        return new BooleanType();
      case INT:
        return "date".equals(logical) ? new DateType() : new IntegerType();
      case LONG:
        if ("timestamp-micros".equals(logical)) {
          return new TimestampType();
        }
        if (logical != null) {
          throw new IllegalArgumentException(
              "Column "
                  + column
                  + ": logical type "
                  + logical
                  + " is not supported; use timestamp-micros");
        }
        return new LongType();
      case FLOAT:
        return new FloatType();
      case DOUBLE:
        return new DoubleType();
      case BYTES:
        return new BinaryType();
      default:
        throw new IllegalArgumentException(
            "Column "
                + column
                + ": Avro type "
                + s.getType()
                + " is not supported in a Delta table (flat rows only)");
    }
  }

  private static Schema toAvroType(String column, DataType t) {
    if (t instanceof StringType) {
      return Schema.create(Schema.Type.STRING);
    } else if (t instanceof BooleanType) {
      return Schema.create(Schema.Type.BOOLEAN);
    } else if (t instanceof IntegerType) {
      return Schema.create(Schema.Type.INT);
    } else if (t instanceof DateType) {
      return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    } else if (t instanceof LongType) {
      return Schema.create(Schema.Type.LONG);
    } else if (t instanceof TimestampType) {
      return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    } else if (t instanceof FloatType) {
      return Schema.create(Schema.Type.FLOAT);
    } else if (t instanceof DoubleType) {
      return Schema.create(Schema.Type.DOUBLE);
    } else if (t instanceof BinaryType) {
      return Schema.create(Schema.Type.BYTES);
    }
    throw new IllegalArgumentException(
        "Column " + column + ": Delta type " + t.getTypeName() + " is not supported by TickLake");
  }

  /**
   * Checks that a batch with schema {@code batch} can be written to a table with schema {@code
   * table} and returns the schema the table must have after the commit: {@code table} itself, or
   * with the batch's new nullable columns appended when {@code allowEvolution} is set.
   *
   * @throws DeltaSchemaMismatchException naming the table, the column, both types and the fix
   */
  public static StructType reconcile(
      String tableName, StructType table, StructType batch, boolean allowEvolution) {
    Map<String, StructField> tableFields = byLowerName(table);
    for (StructField b : batch.getFields()) {
      StructField t = tableFields.get(b.getName().toLowerCase());
      if (t == null) {
        continue;
      }
      if (!t.getDataType().equals(b.getDataType())) {
        throw new DeltaSchemaMismatchException(
            String.format(
                "Cannot commit to %s: schema mismatch on column %s (table has %s, batch has %s); "
                    + "fix the writer or migrate the table",
                tableName,
                t.getName(),
                t.getDataType().getTypeName(),
                b.getDataType().getTypeName()));
      }
      if (!t.isNullable() && b.isNullable()) {
        throw new DeltaSchemaMismatchException(
            String.format(
                "Cannot commit to %s: column %s is NOT NULL in the table but nullable in the batch "
                    + "(%s); make the writer's column non-nullable",
                tableName, t.getName(), t.getDataType().getTypeName()));
      }
    }
    Map<String, StructField> batchFields = byLowerName(batch);
    for (StructField t : table.getFields()) {
      if (!batchFields.containsKey(t.getName().toLowerCase()) && !t.isNullable()) {
        throw new DeltaSchemaMismatchException(
            String.format(
                "Cannot commit to %s: the batch lacks NOT NULL column %s (%s); add it to the writer's schema",
                tableName, t.getName(), t.getDataType().getTypeName()));
      }
    }
    List<StructField> added = new ArrayList<>();
    for (StructField b : batch.getFields()) {
      if (!tableFields.containsKey(b.getName().toLowerCase())) {
        added.add(b);
      }
    }
    if (added.isEmpty()) {
      return table;
    }
    StructField first = added.get(0);
    if (!allowEvolution) {
      throw new DeltaSchemaMismatchException(
          String.format(
              "Cannot commit to %s: schema mismatch on column %s (absent in table vs %s in batch); "
                  + "run with --allowSchemaEvolution (DeltaIO.write().withSchemaEvolution()) or fix the writer",
              tableName, first.getName(), first.getDataType().getTypeName()));
    }
    StructType evolved = table;
    for (StructField b : added) {
      if (!b.isNullable()) {
        throw new DeltaSchemaMismatchException(
            String.format(
                "Cannot evolve %s: new column %s (%s) must be nullable, since existing rows have no value for it",
                tableName, b.getName(), b.getDataType().getTypeName()));
      }
      evolved = evolved.add(b);
    }
    return evolved;
  }

  private static Map<String, StructField> byLowerName(StructType s) {
    Map<String, StructField> m = new LinkedHashMap<>();
    for (StructField f : s.getFields()) {
      m.put(f.getName().toLowerCase(), f);
    }
    return m;
  }
}

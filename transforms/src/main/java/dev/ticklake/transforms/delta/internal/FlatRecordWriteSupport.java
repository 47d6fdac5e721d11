package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.PrimitiveFields;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes flat Avro records (every column a primitive: string, bytes, int, long, float, double,
 * boolean, or a nullable union of one of them) to Parquet with a writer per column chosen once,
 * instead of parquet-avro's {@code AvroWriteSupport}, which resolves each value's schema, union
 * branch and logical-type conversion on every row (a third of the write on Silver's hot path).
 *
 * <p>Same file as parquet-avro writes: the Parquet schema is {@link AvroSchemaConverter}'s, and the
 * footer carries the Avro schema under {@code parquet.avro.schema} with {@code writer.model.name =
 * avro}, so parquet-avro, Delta Kernel and Spark read it as before. Every table of the catalog is
 * flat; a schema with a nested column is refused when the writer is built ({@link #supports} tells
 * beforehand, and {@code ParquetDataFiles} writes such schemas with parquet-avro instead).
 */
public final class FlatRecordWriteSupport extends WriteSupport<IndexedRecord> {
  private final Schema schema;
  private final ColumnWriter[] columns;
  private final String[] names;
  private final boolean[] nullable;

  /**
   * Each column's type when it is int, long or double (read unboxed from a PrimitiveFields row).
   */
  private final Schema.Type[] numeric;

  private RecordConsumer consumer;

  public FlatRecordWriteSupport(Schema schema) {
    this.schema = schema;
    List<Schema.Field> fields = schema.getFields();
    this.columns = new ColumnWriter[fields.size()];
    this.names = new String[fields.size()];
    this.nullable = new boolean[fields.size()];
    this.numeric = new Schema.Type[fields.size()];
    for (Schema.Field f : fields) {
      names[f.pos()] = f.name();
      nullable[f.pos()] = DeltaSchemas.isNullable(f.schema());
      Schema type = DeltaSchemas.nonNull(f.schema());
      columns[f.pos()] = writerFor(f.name(), type);
      numeric[f.pos()] =
          switch (type.getType()) {
            case INT, LONG, DOUBLE -> type.getType();
            default -> null;
          };
    }
  }

  /** Whether every column of {@code schema} is a primitive this support writes. */
  public static boolean supports(Schema schema) {
    for (Schema.Field f : schema.getFields()) {
      if (primitive(DeltaSchemas.nonNull(f.schema())) == null) {
        return false;
      }
    }
    return true;
  }

  @Override
  public WriteContext init(Configuration conf) {
    MessageType parquetSchema = new AvroSchemaConverter(conf).convert(schema);
    Map<String, String> metadata = new HashMap<>();
    metadata.put("parquet.avro.schema", schema.toString());
    metadata.put("writer.model.name", "avro");
    return new WriteContext(parquetSchema, metadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(IndexedRecord record) {
    PrimitiveFields unboxed = record instanceof PrimitiveFields p ? p : null;
    consumer.startMessage();
    for (int i = 0; i < columns.length; i++) {
      if (unboxed != null && numeric[i] != null) {
        if (unboxed.isNull(i)) {
          requireNullable(i);
          continue;
        }
        consumer.startField(names[i], i);
        switch (numeric[i]) {
          case INT -> consumer.addInteger(unboxed.getInt(i));
          case LONG -> consumer.addLong(unboxed.getLong(i));
          default -> consumer.addDouble(unboxed.getDouble(i));
        }
        consumer.endField(names[i], i);
        continue;
      }
      Object value = record.get(i);
      if (value == null) {
        requireNullable(i);
        continue; // an absent optional field is a null
      }
      consumer.startField(names[i], i);
      columns[i].write(consumer, value);
      consumer.endField(names[i], i);
    }
    consumer.endMessage();
  }

  private void requireNullable(int column) {
    if (!nullable[column]) {
      throw new IllegalArgumentException(
          "Null value for the required column " + names[column] + " of " + schema.getFullName());
    }
  }

  @Override
  public String getName() {
    return "avro";
  }

  /** Writes one non-null value of a column. */
  @FunctionalInterface
  private interface ColumnWriter {
    void write(RecordConsumer consumer, Object value);
  }

  private static ColumnWriter writerFor(String column, Schema type) {
    Schema.Type primitive = primitive(type);
    if (primitive == null) {
      throw new IllegalArgumentException(
          "Column " + column + " of type " + type + " is not a flat primitive column");
    }
    return switch (primitive) {
      case STRING -> new StringColumn();
      case BYTES ->
          (c, v) ->
              c.addBinary(
                  v instanceof byte[] bytes
                      ? Binary.fromReusedByteArray(bytes)
                      : Binary.fromReusedByteBuffer((ByteBuffer) v));
      case INT -> (c, v) -> c.addInteger(((Number) v).intValue());
      case LONG -> (c, v) -> c.addLong(((Number) v).longValue());
      case FLOAT -> (c, v) -> c.addFloat(((Number) v).floatValue());
      case DOUBLE -> (c, v) -> c.addDouble(((Number) v).doubleValue());
      case BOOLEAN -> (c, v) -> c.addBoolean((Boolean) v);
      default -> throw new IllegalStateException("unreachable: " + primitive);
    };
  }

  /** The column's primitive type, or null when it is not one this support writes. */
  private static Schema.Type primitive(Schema type) {
    return switch (type.getType()) {
      case STRING, BYTES, INT, LONG, FLOAT, DOUBLE, BOOLEAN -> type.getType();
      default -> null; // including a union of several non-null types
    };
  }

  /**
   * A string column. Keeps the last value's UTF-8 {@link Binary}: symbols, kinds and sources repeat
   * row after row, and encoding each again was a tenth of a Silver write.
   */
  private static final class StringColumn implements ColumnWriter {
    private String last;
    private Binary lastBinary;

    @Override
    public void write(RecordConsumer consumer, Object value) {
      if (value instanceof Utf8 utf8) {
        consumer.addBinary(Binary.fromReusedByteArray(utf8.getBytes(), 0, utf8.getByteLength()));
        return;
      }
      String s = value.toString();
      if (!s.equals(last)) {
        last = s;
        lastBinary = Binary.fromString(s); // a constant Binary: safe to hand over again
      }
      consumer.addBinary(lastBinary);
    }
  }
}

package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DeltaWrite;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;

/**
 * How rows of one table map onto files: the full row schema, the partition columns (kept in the
 * log's partition values and directory names, not in the Parquet files, as Delta requires) and the
 * key columns. Serializable; the derived Avro objects are rebuilt lazily on workers.
 */
public final class TableLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String schemaJson;
  private final List<String> partitionColumns;
  private final List<String> keyColumns;
  private final List<String> plainColumns;

  private transient Schema schema;
  private transient Schema dataSchema;
  private transient Schema readSchema;
  private transient int[] dataPositions;
  private transient int[] keyPositions;
  private transient PartitionValues partitions;

  public TableLayout(Schema schema, List<String> partitionColumns, List<String> keyColumns) {
    this(schema, partitionColumns, keyColumns, List.of());
  }

  /**
   * @param plainColumns data columns written without a dictionary (values that almost never
   *     repeat); see {@link DeltaWrite#withoutDictionary}
   * @throws IllegalArgumentException if a plain column is not a data column of the schema
   */
  public TableLayout(
      Schema schema,
      List<String> partitionColumns,
      List<String> keyColumns,
      List<String> plainColumns) {
    this.schemaJson = schema.toString();
    this.partitionColumns = List.copyOf(partitionColumns);
    this.keyColumns = List.copyOf(keyColumns);
    this.plainColumns = List.copyOf(plainColumns);
    for (String c : this.plainColumns) {
      if (schema.getField(c) == null || this.partitionColumns.contains(c)) {
        throw new IllegalArgumentException(
            "withoutDictionary: '" + c + "' is not a data column of " + schema.getFullName());
      }
    }
    init();
  }

  /** Data columns written without a dictionary. */
  public List<String> plainColumns() {
    return plainColumns;
  }

  private void init() {
    schema = new Schema.Parser().parse(schemaJson);
    partitions = new PartitionValues(schema, partitionColumns);
    List<Schema.Field> data = new ArrayList<>();
    List<Schema.Field> read = new ArrayList<>();
    dataPositions = new int[schema.getFields().size() - partitionColumns.size()];
    int i = 0;
    for (Schema.Field f : schema.getFields()) {
      if (partitionColumns.contains(f.name())) {
        // Partition columns are absent from files; a default lets parquet-avro build the row,
        // and the reader then sets the value from the log.
        read.add(new Schema.Field(f.name(), f.schema(), f.doc(), placeholder(f.schema())));
        continue;
      }
      data.add(copy(f));
      read.add(copy(f));
      dataPositions[i++] = f.pos();
    }
    dataSchema =
        Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, data);
    readSchema =
        Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, read);
    keyPositions = new int[keyColumns.size()];
    for (int k = 0; k < keyColumns.size(); k++) {
      Schema.Field f = schema.getField(keyColumns.get(k));
      if (f == null) {
        throw new IllegalArgumentException(
            "Key column " + keyColumns.get(k) + " is not in the schema " + schema.getName());
      }
      keyPositions[k] = f.pos();
    }
  }

  private static Schema.Field copy(Schema.Field f) {
    Object def =
        f.hasDefaultValue()
            ? (f.defaultVal() == null ? JsonProperties.NULL_VALUE : f.defaultVal())
            : null;
    return new Schema.Field(f.name(), f.schema(), f.doc(), def);
  }

  private static Object placeholder(Schema s) {
    if (DeltaSchemas.isNullable(s)) {
      return JsonProperties.NULL_VALUE;
    }
    return switch (s.getType()) {
      case STRING -> "";
      case INT, LONG -> 0;
      default -> throw new IllegalArgumentException("Unsupported partition column type " + s);
    };
  }

  private void ensure() {
    if (schema == null) {
      init();
    }
  }

  /** The full row schema, partition columns included. */
  public Schema schema() {
    ensure();
    return schema;
  }

  /** The columns stored in Parquet files: the row schema without the partition columns. */
  public Schema dataSchema() {
    ensure();
    return dataSchema;
  }

  /** The schema the Parquet reader produces rows in: field order and names of {@link #schema()}. */
  public Schema readSchema() {
    ensure();
    return readSchema;
  }

  /** Positions in the full row of the columns stored in files, in file column order. */
  public int[] dataPositions() {
    ensure();
    return dataPositions;
  }

  public List<String> partitionColumns() {
    return partitionColumns;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public PartitionValues partitions() {
    ensure();
    return partitions;
  }

  /**
   * A partition's values from the log as one string, in partition-column order (the log's maps have
   * no fixed order): equal partitions give equal strings.
   */
  public String partitionKey(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (String column : partitionColumns) {
      sb.append(column).append('=').append(values.get(column)).append('\u0001');
    }
    return sb.toString();
  }

  /** The key of a row as one string; equal rows by key give equal strings. */
  public String keyOf(IndexedRecord row) {
    ensure();
    StringBuilder sb = new StringBuilder(48);
    for (int i = 0; i < keyPositions.length; i++) {
      if (i > 0) {
        sb.append('\u0001');
      }
      Object v = row.get(keyPositions[i]);
      sb.append(v == null ? "\u0000" : v instanceof java.nio.ByteBuffer b ? hex(b) : v.toString());
    }
    return sb.toString();
  }

  /**
   * The log's partition values of one file (for the rows read from it), parsed once into their Avro
   * representation, to be set on each of the file's rows: parsing them per row (a date is {@code
   * LocalDate.parse}) cost a third of a read.
   */
  public ParsedPartitionValues parsePartitionValues(Map<String, String> values) {
    ensure();
    int[] positions = new int[partitionColumns.size()];
    Object[] parsed = new Object[positions.length];
    for (int i = 0; i < positions.length; i++) {
      Schema.Field f = schema.getField(partitionColumns.get(i));
      positions[i] = f.pos();
      parsed[i] = PartitionValues.parse(values.get(f.name()), f.schema());
    }
    return new ParsedPartitionValues(positions, parsed);
  }

  /** Partition values ready to set on rows; see {@link #parsePartitionValues}. */
  public static final class ParsedPartitionValues {
    private final int[] positions;
    private final Object[] values;

    private ParsedPartitionValues(int[] positions, Object[] values) {
      this.positions = positions;
      this.values = values;
    }

    public void setOn(IndexedRecord row) {
      for (int i = 0; i < positions.length; i++) {
        Object v = values[i];
        // Utf8 is mutable: each row gets its own copy, as when every row was parsed on its own.
        row.put(positions[i], v instanceof Utf8 u ? new Utf8(u) : v);
      }
    }
  }

  private static String hex(java.nio.ByteBuffer b) {
    StringBuilder sb = new StringBuilder();
    for (int i = b.position(); i < b.limit(); i++) {
      sb.append(String.format("%02x", b.get(i)));
    }
    return sb.toString();
  }
}

package dev.ticklake.transforms.delta.internal;

import java.time.LocalDate;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Partition values as Delta stores them: strings in the log's {@code partitionValues} map, and
 * Hive-style {@code col=value} directories. Dates are written ISO-8601 ({@code 2026-11-20}); ints,
 * longs and strings as their text. Characters that are unsafe in a path are escaped as {@code %XX},
 * as Hive and Spark do, so every Delta reader finds the same directory.
 */
public final class PartitionValues {
  private static final BitSet UNSAFE = new BitSet(128);

  static {
    for (char c = 0; c < ' '; c++) {
      UNSAFE.set(c);
    }
    for (char c : "\"#%'*/:=?\\\u007F{[]^".toCharArray()) {
      UNSAFE.set(c);
    }
  }

  private final String[] columns;
  private final int[] positions;
  private final boolean[] isDate;

  /** Reads the partition columns out of records with the given (table) schema. */
  public PartitionValues(Schema schema, List<String> partitionColumns) {
    columns = partitionColumns.toArray(new String[0]);
    positions = new int[columns.length];
    isDate = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      Schema.Field f = schema.getField(columns[i]);
      if (f == null) {
        throw new IllegalArgumentException(
            "Partition column " + columns[i] + " is not in the schema " + schema.getName());
      }
      positions[i] = f.pos();
      Schema t = DeltaSchemas.nonNull(f.schema());
      isDate[i] = t.getLogicalType() != null && "date".equals(t.getLogicalType().getName());
      switch (t.getType()) {
        case STRING, INT, LONG -> {}
        default ->
            throw new IllegalArgumentException(
                "Partition column "
                    + columns[i]
                    + " has type "
                    + t.getType()
                    + "; partition columns must be string, int, long or date");
      }
    }
  }

  public boolean isPartitioned() {
    return columns.length > 0;
  }

  /** The partition values of one record, in partition-column order. */
  public Map<String, String> of(IndexedRecord record) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < columns.length; i++) {
      values.put(columns[i], format(record.get(positions[i]), isDate[i]));
    }
    return values;
  }

  /** A compact grouping key for a record's partition; equal keys mean equal partitions. */
  public String keyOf(IndexedRecord record) {
    if (columns.length == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.length; i++) {
      if (i > 0) {
        sb.append('\u0001');
      }
      Object v = record.get(positions[i]);
      sb.append(v == null ? "\u0000" : v.toString());
    }
    return sb.toString();
  }

  /** The relative directory of a partition, e.g. {@code symbol=AAPL/trade_date=2026-11-20}. */
  public static String directory(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(escape(e.getKey())).append('=');
      sb.append(e.getValue() == null ? "__HIVE_DEFAULT_PARTITION__" : escape(e.getValue()));
    }
    return sb.toString();
  }

  public static String format(Object value, boolean isDate) {
    if (value == null) {
      return null;
    }
    if (isDate) {
      return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
    }
    return value.toString();
  }

  /** Parses a partition value from the log back into the Avro representation of its column. */
  public static Object parse(String value, Schema fieldSchema) {
    if (value == null) {
      return null;
    }
    Schema t = DeltaSchemas.nonNull(fieldSchema);
    boolean date = t.getLogicalType() != null && "date".equals(t.getLogicalType().getName());
    return switch (t.getType()) {
      case INT -> date ? (int) LocalDate.parse(value).toEpochDay() : Integer.parseInt(value);
      case LONG -> Long.parseLong(value);
      case STRING -> new org.apache.avro.util.Utf8(value);
      default -> throw new IllegalArgumentException("Unsupported partition type " + t.getType());
    };
  }

  public static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && UNSAFE.get(c)) {
        if (sb == null) {
          sb = new StringBuilder(s.substring(0, i));
        }
        sb.append('%').append(String.format("%02X", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}

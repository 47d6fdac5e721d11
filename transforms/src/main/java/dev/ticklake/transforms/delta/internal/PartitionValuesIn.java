package dev.ticklake.transforms.delta.internal;

import io.delta.standalone.data.RowRecord;
import io.delta.standalone.expressions.Column;
import io.delta.standalone.expressions.Expression;
import io.delta.standalone.expressions.Predicate;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DateType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A delta-standalone predicate over partition columns that is true exactly for the files whose
 * partition values are one of a given set: {@code (p1, p2, ...) IN ((v1, v2, ...), ...)}.
 *
 * <p>Why not a tree of {@code Or}/{@code And} or delta-standalone's {@code In}: delta-standalone
 * walks expression trees recursively ({@code references()}, evaluation), so one {@code Or} per
 * partition overflows the thread stack at a few thousand partitions; and {@code In} compares a
 * value with every element, which makes marking the files of a table as read cost files ×
 * partitions. This predicate is flat (its children are the partition columns only, whatever the
 * number of partitions) and evaluates in constant time with a hash lookup, so conflict detection
 * stays exact (no widening) at any partition count.
 *
 * <p>Values are compared in canonical form: each partition value string of the Delta log is parsed
 * to the column's type (date, int, long; anything else as its string) and printed back, on both
 * sides. A null partition value matches a null in the set. Immutable.
 */
public final class PartitionValuesIn implements Predicate {
  private final List<Column> columns;
  private final Set<List<String>> values;

  private PartitionValuesIn(List<Column> columns, Set<List<String>> values) {
    this.columns = columns;
    this.values = values;
  }

  /**
   * The predicate that matches {@code partitions} (each a map from every partition column to its
   * Delta log value string, null for a null partition).
   *
   * @throws IllegalArgumentException if {@code partitionColumns} is empty or a column is not in
   *     {@code schema}
   */
  public static PartitionValuesIn of(
      StructType schema,
      List<String> partitionColumns,
      Collection<Map<String, String>> partitions) {
    if (partitionColumns.isEmpty()) {
      throw new IllegalArgumentException("A partition predicate needs at least one column");
    }
    List<Column> columns = new ArrayList<>();
    for (String name : partitionColumns) {
      columns.add(schema.column(name));
    }
    Set<List<String>> values = new HashSet<>(partitions.size() * 2);
    for (Map<String, String> p : partitions) {
      String[] tuple = new String[columns.size()];
      for (int i = 0; i < tuple.length; i++) {
        tuple[i] = canonical(columns.get(i).dataType(), p.get(partitionColumns.get(i)));
      }
      values.add(Arrays.asList(tuple));
    }
    return new PartitionValuesIn(List.copyOf(columns), values);
  }

  /** How many distinct partition tuples the predicate matches. */
  public int size() {
    return values.size();
  }

  @Override
  public Boolean eval(RowRecord record) {
    String[] tuple = new String[columns.size()];
    for (int i = 0; i < tuple.length; i++) {
      Object value = columns.get(i).eval(record);
      tuple[i] = value == null ? null : value.toString();
    }
    return values.contains(Arrays.asList(tuple));
  }

  @Override
  public List<Expression> children() {
    return List.copyOf(columns);
  }

  @Override
  public String toString() {
    List<String> names = columns.stream().map(Column::name).toList();
    return "(" + String.join(", ", names) + ") IN " + values.size() + " partition value tuples";
  }

  /** The string a value has once parsed as {@code type}: what {@code Column.eval} prints. */
  private static String canonical(DataType type, String value) {
    if (value == null) {
      return null;
    }
    if (type instanceof DateType) {
      return java.sql.Date.valueOf(value).toString();
    }
    if (type instanceof IntegerType) {
      return Integer.toString(Integer.parseInt(value));
    }
    if (type instanceof LongType) {
      return Long.toString(Long.parseLong(value));
    }
    return value;
  }
}

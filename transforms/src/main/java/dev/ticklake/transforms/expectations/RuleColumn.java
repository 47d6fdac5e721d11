package dev.ticklake.transforms.expectations;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A column that rules may refer to: its name, type and how to read it from a row of type {@code R}
 * without boxing. Immutable; the accessors must be thread-safe (plain getters are).
 *
 * @param <R> the row type rules are evaluated on
 */
public final class RuleColumn<R> {
  private static final Predicate<Object> NEVER_NULL = row -> false;

  private final String name;
  private final RuleType type;
  private final ToDoubleFunction<R> asDouble;
  private final ToLongFunction<R> asLong;
  private final Function<R, String> asString;
  private final Predicate<? super R> isNull;
  private final boolean nullable;

  private RuleColumn(
      String name,
      RuleType type,
      ToDoubleFunction<R> asDouble,
      ToLongFunction<R> asLong,
      Function<R, String> asString,
      Predicate<? super R> isNull,
      boolean nullable) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = type;
    this.asDouble = asDouble;
    this.asLong = asLong;
    this.asString = asString;
    this.isNull = isNull;
    this.nullable = nullable;
  }

  /** A non-null double column. */
  public static <R> RuleColumn<R> number(String name, ToDoubleFunction<R> getter) {
    return new RuleColumn<>(name, RuleType.NUMBER, getter, null, null, NEVER_NULL, false);
  }

  /** A non-null 64-bit integer column. */
  public static <R> RuleColumn<R> integer(String name, ToLongFunction<R> getter) {
    return new RuleColumn<>(
        name, RuleType.INTEGER, r -> getter.applyAsLong(r), getter, null, NEVER_NULL, false);
  }

  /** A non-null timestamp column, read as microseconds since the epoch (UTC). */
  public static <R> RuleColumn<R> timestampMicros(String name, ToLongFunction<R> getter) {
    return new RuleColumn<>(name, RuleType.TIMESTAMP, null, getter, null, NEVER_NULL, false);
  }

  /** A non-null date column, read as days since 1970-01-01. */
  public static <R> RuleColumn<R> date(String name, ToLongFunction<R> getter) {
    return new RuleColumn<>(name, RuleType.DATE, null, getter, null, NEVER_NULL, false);
  }

  /** A string column; a null value is SQL null. */
  public static <R> RuleColumn<R> string(String name, Function<R, String> getter) {
    return new RuleColumn<>(
        name, RuleType.STRING, null, null, getter, row -> getter.apply(row) == null, true);
  }

  /**
   * This column, nullable: {@code isNull} says when the row's value is SQL null (the getter is then
   * not called).
   */
  public RuleColumn<R> nullWhen(Predicate<? super R> isNull) {
    return new RuleColumn<>(name, type, asDouble, asLong, asString, isNull, true);
  }

  public String name() {
    return name;
  }

  public RuleType type() {
    return type;
  }

  boolean nullable() {
    return nullable;
  }

  boolean isNull(R row) {
    return isNull.test(row);
  }

  double getDouble(R row) {
    return asDouble.applyAsDouble(row);
  }

  long getLong(R row) {
    return asLong.applyAsLong(row);
  }

  String getString(R row) {
    return asString.apply(row);
  }
}

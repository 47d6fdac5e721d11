package dev.ticklake.transforms.expectations;

import java.util.Locale;

/** The value types of the expectation-rule language. */
public enum RuleType {
  /** Three-valued: true, false or null (unknown). */
  BOOLEAN,
  /** A double. */
  NUMBER,
  /** A 64-bit integer; compared exactly with other integers, as a double with numbers. */
  INTEGER,
  /** A UTC instant in microseconds since the epoch. */
  TIMESTAMP,
  /** A date in days since 1970-01-01. */
  DATE,
  /** A string. */
  STRING,
  /** The type of the literal {@code NULL}: comparable with anything, always unknown. */
  NULL;

  /** Lower-case name for messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean isNumeric() {
    return this == NUMBER || this == INTEGER;
  }
}

package dev.ticklake.schemas.catalog;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named data-quality rule declared on a table. Immutable and serializable.
 *
 * <p>This is a declaration only: {@code rule} is a SQL-like boolean expression over the table's
 * columns (e.g. {@code volume >= 0}) that a row must satisfy; the evaluator lives in the {@code
 * transforms} module. Checked here: {@code name} is snake_case, {@code rule} is not blank, {@code
 * action} is not null.
 *
 * @param name snake_case, unique within its table; recorded in {@code silver/dq_metrics}
 * @param rule the condition every good row satisfies
 * @param action what happens to a row that does not
 */
public record Expectation(String name, String rule, ExpectationAction action)
    implements Serializable {
  private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9_]*");

  /** Checks the fields as described in the class documentation. */
  public Expectation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(action, "action");
    if (!SNAKE_CASE.matcher(name).matches()) {
      throw new IllegalArgumentException("expectation name must be snake_case, got '" + name + "'");
    }
    if (rule.isBlank()) {
      throw new IllegalArgumentException("expectation '" + name + "' has a blank rule");
    }
  }
}

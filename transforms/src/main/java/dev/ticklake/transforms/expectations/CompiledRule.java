package dev.ticklake.transforms.expectations;

import dev.ticklake.transforms.expectations.RuleNodes.Node;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An expectation rule (a SQL-like condition such as {@code volume >= 0}) compiled once into a
 * predicate over rows of type {@code R}. Compiling parses, resolves columns and checks types, so
 * that a bad rule fails before any data is read, with a {@link RuleSyntaxException} naming the
 * position and the reason. Evaluation does not allocate (except {@code MATCHES}, which needs one
 * {@link java.util.regex.Matcher} per row; patterns are compiled once) and is thread-safe.
 *
 * <h2>Language</h2>
 *
 * <pre>
 * rule      := or
 * or        := and ( OR and )*
 * and       := not ( AND not )*
 * not       := NOT not | predicate
 * predicate := sum [ cmp sum | MATCHES 'regex' | IS [NOT] NULL ]
 * cmp       := = | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=
 * sum       := primary ( (+|-) INTERVAL integer unit )*
 * unit      := SECOND[S] | MINUTE[S] | HOUR[S] | DAY[S]
 * primary   := number | -number | 'string' | TRUE | FALSE | NULL | column
 *            | greatest(or, or, ...) | least(or, or, ...) | now() | ( or )
 * </pre>
 *
 * <ul>
 *   <li>Keywords and function names are case-insensitive; columns are matched exactly. A word is a
 *       keyword only where the grammar expects one, so a column may be called {@code interval}.
 *   <li>Types: numbers ({@code 1.5}, {@code 2e3}) are doubles, whole numbers are 64-bit integers
 *       (two integers compare exactly; mixed, as doubles). Strings are single-quoted, {@code ''}
 *       escapes a quote, and compare by UTF-16 code units. A string literal compared with a
 *       timestamp is read as an ISO-8601 instant with offset ({@code '2026-11-20T14:30:00Z'}), with
 *       a date as {@code yyyy-MM-dd}. Comparing other mixed types is a compile error.
 *   <li>{@code MATCHES} takes a Java regular expression and is true if it matches anywhere in the
 *       string (SQL {@code RLIKE}); anchor it with {@code ^...$} for a full match.
 *   <li>{@code now()} is the instant given to {@link #compile}: one value for the whole batch, so
 *       results are deterministic. {@code ts + INTERVAL 5 MINUTES} shifts a timestamp; a date
 *       column can be shifted by DAYS.
 *   <li>{@code greatest}/{@code least} take two or more numbers, timestamps, dates or strings and
 *       skip nulls (null only if all arguments are), as in Spark SQL.
 *   <li>Nulls follow SQL: a comparison or {@code MATCHES} with a null operand is unknown; AND, OR
 *       and NOT are three-valued (false AND unknown = false, true OR unknown = true). A row
 *       <b>passes only if the rule is true</b>; false and unknown both fail it, as a SQL {@code
 *       WHERE} would filter it. Use {@code IS NULL} to allow nulls explicitly.
 * </ul>
 *
 * @param <R> the row type
 */
public final class CompiledRule<R> {
  private final String rule;
  private final Node<R> root;

  private CompiledRule(String rule, Node<R> root) {
    this.rule = rule;
    this.root = root;
  }

  /**
   * Compiles {@code rule} against {@code columns}, with {@code now()} fixed to {@code now}
   * (truncated to microseconds).
   *
   * @throws RuleSyntaxException if the rule is not valid; the message points at the problem
   */
  public static <R> CompiledRule<R> compile(String rule, List<RuleColumn<R>> columns, Instant now) {
    Objects.requireNonNull(rule, "rule");
    Map<String, RuleColumn<R>> byName = new LinkedHashMap<>();
    for (RuleColumn<R> c : columns) {
      byName.put(c.name(), c);
    }
    long nowMicros = RuleParser.micros(now);
    return new CompiledRule<>(rule, new RuleParser<>(rule, byName, nowMicros).parse());
  }

  /** The rule as written. */
  public String rule() {
    return rule;
  }

  /** True if the rule is true for {@code row}; false if it is false or unknown (null). */
  public boolean test(R row) {
    return root.truth(row) == RuleNodes.TRUE;
  }

  /** The three-valued result: {@code TRUE}, {@code FALSE}, or null when unknown. */
  public Boolean evaluate(R row) {
    int t = root.truth(row);
    return t == RuleNodes.UNKNOWN ? null : t == RuleNodes.TRUE;
  }

  /**
   * Why {@code row} does not pass, in terms of its values, e.g. {@code open 0.0 must be > 0} or
   * {@code ts 2026-11-20T15:00:00Z must be <= now() + INTERVAL 5 MINUTES (2026-11-20T14:35:00Z)}:
   * the first failing part of an AND, every part of an OR. Empty if the row passes. Meant for
   * failing rows only; it allocates.
   */
  public String explain(R row) {
    return test(row) ? "" : root.explain(row);
  }

  @Override
  public String toString() {
    return rule;
  }
}

package dev.ticklake.transforms.expectations;

/**
 * A rule that cannot be compiled: bad syntax, an unknown column or function, or mismatched types.
 * The message names the rule, the 1-based character position and the reason, and points at the
 * position:
 *
 * <pre>
 * invalid rule at position 8: expected a value, found 'AND'
 *   open > AND close > 0
 *          ^
 * </pre>
 */
public final class RuleSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String rule;
  private final int position;
  private final String reason;

  RuleSyntaxException(String rule, int offset, String reason) {
    super(
        "invalid rule at position "
            + (offset + 1)
            + ": "
            + reason
            + "\n  "
            + rule
            + "\n  "
            + " ".repeat(Math.max(0, offset))
            + "^");
    this.rule = rule;
    this.position = offset + 1;
    this.reason = reason;
  }

  /** The rule as written. */
  public String rule() {
    return rule;
  }

  /** 1-based character position of the problem in {@link #rule()}. */
  public int position() {
    return position;
  }

  /** What is wrong, without the position. */
  public String reason() {
    return reason;
  }
}

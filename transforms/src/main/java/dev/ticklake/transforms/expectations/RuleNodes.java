package dev.ticklake.transforms.expectations;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The compiled form of a rule: a tree of typed nodes evaluated without boxing. Booleans are
 * three-valued ints ({@link #TRUE}, {@link #FALSE}, {@link #UNKNOWN}), as in SQL. Nodes are
 * immutable and thread-safe. {@code explain} is only called on rows that did not pass, so it may
 * allocate freely.
 */
final class RuleNodes {
  static final int TRUE = 1;
  static final int FALSE = 0;
  static final int UNKNOWN = -1;

  private static final int MAX_SHOWN_CHARS = 64;

  private RuleNodes() {}

  /** A typed expression; only the accessors of its type are called. */
  abstract static class Node<R> {
    final RuleType type;
    final String text;

    Node(RuleType type, String text) {
      this.type = type;
      this.text = text;
    }

    boolean isNull(R row) {
      return false;
    }

    double num(R row) {
      return integral(row);
    }

    long integral(R row) {
      throw new IllegalStateException(type + " node read as integral");
    }

    String str(R row) {
      throw new IllegalStateException(type + " node read as string");
    }

    int truth(R row) {
      throw new IllegalStateException(type + " node read as boolean");
    }

    /** Whether the node is a literal written in the rule (reasons then show only its text). */
    boolean isLiteral() {
      return false;
    }

    /** Why a boolean node is not TRUE for {@code row}. */
    String explain(R row) {
      return truth(row) == UNKNOWN ? text + " is null" : text + " must be true";
    }
  }

  /** How reasons show an operand: a literal as written, a column with its value, else both. */
  static <R> String describe(Node<R> n, R row) {
    if (n.isLiteral()) {
      return n.text;
    }
    String value = valueText(n, row);
    return n instanceof ColumnNode ? n.text + " " + value : n.text + " (" + value + ")";
  }

  static <R> String valueText(Node<R> n, R row) {
    if (n.type == RuleType.NULL || n.isNull(row)) {
      return "null";
    }
    return switch (n.type) {
      case NUMBER -> Double.toString(n.num(row));
      case INTEGER -> Long.toString(n.integral(row));
      case TIMESTAMP -> instant(n.integral(row)).toString();
      case DATE -> LocalDate.ofEpochDay(n.integral(row)).toString();
      case STRING -> quote(n.str(row));
      case BOOLEAN -> n.truth(row) == TRUE ? "true" : "false";
      case NULL -> "null";
    };
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  static String quote(String s) {
    return s.length() > MAX_SHOWN_CHARS
        ? "'" + s.substring(0, MAX_SHOWN_CHARS) + "...' (" + s.length() + " chars)"
        : "'" + s + "'";
  }

  static final class ColumnNode<R> extends Node<R> {
    private final RuleColumn<R> column;
    private final boolean nullable;

    ColumnNode(RuleColumn<R> column) {
      super(column.type(), column.name());
      this.column = column;
      this.nullable = column.nullable();
    }

    @Override
    boolean isNull(R row) {
      return nullable && column.isNull(row);
    }

    @Override
    double num(R row) {
      return column.getDouble(row);
    }

    @Override
    long integral(R row) {
      return column.getLong(row);
    }

    @Override
    String str(R row) {
      return column.getString(row);
    }
  }

  /** A constant: a literal, a coerced literal, or {@code now()}. */
  static final class Constant<R> extends Node<R> {
    private final boolean literal;
    private final double number;
    private final long integral;
    private final String string;
    private final int truth;

    private Constant(
        RuleType type, String text, boolean literal, double d, long l, String s, int truth) {
      super(type, text);
      this.literal = literal;
      this.number = d;
      this.integral = l;
      this.string = s;
      this.truth = truth;
    }

    static <R> Constant<R> number(String text, double value) {
      return new Constant<>(RuleType.NUMBER, text, true, value, 0, null, UNKNOWN);
    }

    static <R> Constant<R> integer(String text, long value) {
      return new Constant<>(RuleType.INTEGER, text, true, value, value, null, UNKNOWN);
    }

    static <R> Constant<R> integral(RuleType type, String text, long value, boolean literal) {
      return new Constant<>(type, text, literal, value, value, null, UNKNOWN);
    }

    static <R> Constant<R> string(String text, String value) {
      return new Constant<>(RuleType.STRING, text, true, 0, 0, value, UNKNOWN);
    }

    static <R> Constant<R> bool(String text, boolean value) {
      return new Constant<>(RuleType.BOOLEAN, text, true, 0, 0, null, value ? TRUE : FALSE);
    }

    static <R> Constant<R> nullValue(String text) {
      return new Constant<>(RuleType.NULL, text, true, 0, 0, null, UNKNOWN);
    }

    @Override
    boolean isNull(R row) {
      return type == RuleType.NULL;
    }

    @Override
    boolean isLiteral() {
      return literal;
    }

    @Override
    double num(R row) {
      return number;
    }

    @Override
    long integral(R row) {
      return integral;
    }

    @Override
    String str(R row) {
      return string;
    }

    @Override
    int truth(R row) {
      return truth;
    }
  }

  /** {@code <timestamp> ± INTERVAL n unit}, or {@code <date> ± INTERVAL n DAYS}. */
  static final class Shifted<R> extends Node<R> {
    private final Node<R> base;
    private final long delta;

    Shifted(Node<R> base, long delta, String text) {
      super(base.type, text);
      this.base = base;
      this.delta = delta;
    }

    @Override
    boolean isNull(R row) {
      return base.isNull(row);
    }

    @Override
    long integral(R row) {
      return base.integral(row) + delta;
    }
  }

  /** {@code greatest(...)} / {@code least(...)}: nulls are skipped; null only if all are. */
  static final class Extreme<R> extends Node<R> {
    private final List<Node<R>> args;
    private final int sign;

    Extreme(RuleType type, List<Node<R>> args, boolean greatest, String text) {
      super(type, text);
      this.args = List.copyOf(args);
      this.sign = greatest ? 1 : -1;
    }

    @Override
    boolean isNull(R row) {
      for (Node<R> a : args) {
        if (!a.isNull(row)) {
          return false;
        }
      }
      return true;
    }

    @Override
    double num(R row) {
      if (type == RuleType.INTEGER) {
        return integral(row);
      }
      double best = Double.NaN;
      for (Node<R> a : args) {
        if (!a.isNull(row)) {
          double v = a.num(row);
          if (Double.isNaN(best) || Double.compare(v, best) * sign > 0) {
            best = v;
          }
        }
      }
      return best;
    }

    @Override
    long integral(R row) {
      boolean found = false;
      long best = 0;
      for (Node<R> a : args) {
        if (!a.isNull(row)) {
          long v = a.integral(row);
          if (!found || Long.compare(v, best) * sign > 0) {
            best = v;
            found = true;
          }
        }
      }
      return best;
    }

    @Override
    String str(R row) {
      String best = null;
      for (Node<R> a : args) {
        if (!a.isNull(row)) {
          String v = a.str(row);
          if (best == null || Integer.signum(v.compareTo(best)) * sign > 0) {
            best = v;
          }
        }
      }
      return best;
    }
  }
}

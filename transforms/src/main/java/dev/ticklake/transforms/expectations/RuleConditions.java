package dev.ticklake.transforms.expectations;

import static dev.ticklake.transforms.expectations.RuleNodes.FALSE;
import static dev.ticklake.transforms.expectations.RuleNodes.TRUE;
import static dev.ticklake.transforms.expectations.RuleNodes.UNKNOWN;
import static dev.ticklake.transforms.expectations.RuleNodes.describe;
import static dev.ticklake.transforms.expectations.RuleNodes.quote;

import dev.ticklake.transforms.expectations.RuleNodes.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The boolean nodes of a compiled rule: comparisons, MATCHES, IS NULL, NOT, AND/OR. */
final class RuleConditions {
  private RuleConditions() {}

  /** Comparison operators, as written. */
  enum Op {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    static Op of(String symbol) {
      for (Op op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      throw new IllegalArgumentException(symbol);
    }

    /** Applies the operator to the sign of a comparison. */
    boolean test(int cmp) {
      return switch (this) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
      };
    }
  }

  /** How a comparison reads its operands. */
  enum CompareMode {
    LONG,
    DOUBLE,
    STRING,
    BOOLEAN,
    ALWAYS_NULL
  }

  static final class Compare<R> extends Node<R> {
    private final Node<R> left;
    private final Node<R> right;
    private final Op op;
    private final CompareMode mode;

    Compare(Node<R> left, Op op, Node<R> right, CompareMode mode, String text) {
      super(RuleType.BOOLEAN, text);
      this.left = left;
      this.right = right;
      this.op = op;
      this.mode = mode;
    }

    @Override
    int truth(R row) {
      if (mode == CompareMode.ALWAYS_NULL || left.isNull(row) || right.isNull(row)) {
        return UNKNOWN;
      }
      boolean result =
          switch (mode) {
            case LONG -> op.test(Long.compare(left.integral(row), right.integral(row)));
            case DOUBLE -> compareDoubles(left.num(row), right.num(row));
            case STRING -> op.test(left.str(row).compareTo(right.str(row)));
            case BOOLEAN -> op.test(Integer.compare(left.truth(row), right.truth(row)));
            case ALWAYS_NULL -> false;
          };
      return result ? TRUE : FALSE;
    }

    /** SQL semantics on doubles: primitive comparisons, so any comparison with NaN is false. */
    private boolean compareDoubles(double a, double b) {
      return switch (op) {
        case EQ -> a == b;
        case NE -> a != b;
        case LT -> a < b;
        case LE -> a <= b;
        case GT -> a > b;
        case GE -> a >= b;
      };
    }

    @Override
    String explain(R row) {
      if (mode == CompareMode.ALWAYS_NULL) {
        return text + " is null (a comparison with NULL is never true; use IS NULL)";
      }
      if (left.isNull(row) || right.isNull(row)) {
        return (left.isNull(row) ? left.text : right.text) + " is null";
      }
      return describe(left, row) + " must be " + op.symbol + " " + describe(right, row);
    }
  }

  /** {@code <string> MATCHES '<regex>'}: Java regex, found anywhere (anchor with ^ and $). */
  static final class Matches<R> extends Node<R> {
    private final Node<R> subject;
    private final Pattern pattern;

    Matches(Node<R> subject, Pattern pattern, String text) {
      super(RuleType.BOOLEAN, text);
      this.subject = subject;
      this.pattern = pattern;
    }

    /**
     * Results of the strings seen, up to {@value #MAX_CACHED} of them: the matched column is mostly
     * one of a few values (symbols, sources) repeating row after row in any order, and a hash
     * lookup is much cheaper than running the regex. Rows with unbounded values (ids) stop adding
     * once the cache is full and are matched each time. Thread-safe: threads may share the node.
     */
    private final Map<String, Boolean> results = new ConcurrentHashMap<>();

    private static final int MAX_CACHED = 1024;

    @Override
    int truth(R row) {
      if (subject.isNull(row)) {
        return UNKNOWN;
      }
      String input = subject.str(row);
      Boolean found = results.get(input);
      if (found == null) {
        found = pattern.matcher(input).find();
        if (results.size() < MAX_CACHED) {
          results.put(input, found);
        }
      }
      return found ? TRUE : FALSE;
    }

    @Override
    String explain(R row) {
      if (subject.isNull(row)) {
        return subject.text + " is null";
      }
      return describe(subject, row) + " must match " + quote(pattern.pattern());
    }
  }

  /** {@code x IS NULL} / {@code x IS NOT NULL}: never unknown. */
  static final class IsNull<R> extends Node<R> {
    private final Node<R> subject;
    private final boolean negated;

    IsNull(Node<R> subject, boolean negated, String text) {
      super(RuleType.BOOLEAN, text);
      this.subject = subject;
      this.negated = negated;
    }

    @Override
    int truth(R row) {
      return subject.isNull(row) != negated ? TRUE : FALSE;
    }

    @Override
    String explain(R row) {
      return negated
          ? subject.text + " must not be null"
          : describe(subject, row) + " must be null";
    }
  }

  /** NOT: true and false swap, unknown stays unknown. */
  static final class Not<R> extends Node<R> {
    private final Node<R> operand;

    Not(Node<R> operand, String text) {
      super(RuleType.BOOLEAN, text);
      this.operand = operand;
    }

    @Override
    int truth(R row) {
      int t = operand.truth(row);
      return t == UNKNOWN ? UNKNOWN : 1 - t;
    }

    @Override
    String explain(R row) {
      return operand.truth(row) == UNKNOWN
          ? operand.explain(row)
          : "must not hold: " + operand.text;
    }
  }

  /** AND / OR over two or more operands, Kleene logic, short-circuit. */
  static final class Junction<R> extends Node<R> {
    private final List<Node<R>> operands;
    private final boolean and;

    Junction(List<Node<R>> operands, boolean and, String text) {
      super(RuleType.BOOLEAN, text);
      this.operands = List.copyOf(operands);
      this.and = and;
    }

    @Override
    int truth(R row) {
      int decisive = and ? FALSE : TRUE;
      boolean unknown = false;
      for (Node<R> o : operands) {
        int t = o.truth(row);
        if (t == decisive) {
          return decisive;
        }
        unknown |= t == UNKNOWN;
      }
      return unknown ? UNKNOWN : 1 - decisive;
    }

    /** AND: the first operand that is not true. OR: why every operand is not true. */
    @Override
    String explain(R row) {
      StringBuilder reasons = new StringBuilder();
      for (Node<R> o : operands) {
        if (o.truth(row) != TRUE) {
          if (and) {
            return o.explain(row);
          }
          reasons.append(reasons.length() == 0 ? "" : ", or ").append(o.explain(row));
        }
      }
      return reasons.toString();
    }
  }
}

package dev.ticklake.transforms.expectations;

import dev.ticklake.transforms.expectations.RuleConditions.CompareMode;
import dev.ticklake.transforms.expectations.RuleLexer.Kind;
import dev.ticklake.transforms.expectations.RuleLexer.Token;
import dev.ticklake.transforms.expectations.RuleNodes.Constant;
import dev.ticklake.transforms.expectations.RuleNodes.Node;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser and type checker of the rule language (grammar in {@link CompiledRule});
 * produces the node tree. One instance parses one rule.
 */
final class RuleParser<R> {
  private static final Set<String> RESERVED = Set.of("and", "or", "not", "matches", "is");
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long DAY_MICROS = 86_400 * MICROS_PER_SECOND;

  private final String rule;
  private final List<Token> tokens;
  private final Map<String, RuleColumn<R>> columns;
  private final long nowMicros;
  private int next;

  RuleParser(String rule, Map<String, RuleColumn<R>> columns, long nowMicros) {
    this.rule = rule;
    this.tokens = RuleLexer.tokenize(rule);
    this.columns = columns;
    this.nowMicros = nowMicros;
  }

  Node<R> parse() {
    if (peek().kind() == Kind.END) {
      throw error(peek(), "the rule is empty");
    }
    int start = peek().start();
    Node<R> root = or();
    if (peek().kind() != Kind.END) {
      throw error(peek(), "unexpected " + peek().describe() + " after a complete condition");
    }
    requireBoolean(root, start, "a rule must be a condition (true or false)");
    return root;
  }

  private Node<R> or() {
    return junction(false);
  }

  private Node<R> and() {
    return junction(true);
  }

  private Node<R> junction(boolean and) {
    int start = peek().start();
    String word = and ? "AND" : "OR";
    List<Node<R>> operands = new ArrayList<>();
    Node<R> first = and ? not() : and();
    operands.add(first);
    if (peek().isWord(word)) {
      requireBoolean(first, start, word + " needs conditions on both sides");
    }
    while (peek().isWord(word)) {
      advance();
      int operandStart = peek().start();
      Node<R> operand = and ? not() : and();
      requireBoolean(operand, operandStart, word + " needs conditions on both sides");
      operands.add(operand);
    }
    return operands.size() == 1 ? first : new RuleConditions.Junction<>(operands, and, text(start));
  }

  private Node<R> not() {
    if (peek().isWord("NOT")) {
      int start = advance().start();
      int operandStart = peek().start();
      Node<R> operand = not();
      requireBoolean(operand, operandStart, "NOT needs a condition");
      return new RuleConditions.Not<>(operand, text(start));
    }
    return predicate();
  }

  private Node<R> predicate() {
    int start = peek().start();
    Node<R> left = additive();
    Token t = peek();
    if (t.kind() == Kind.OP && !t.isOp("+") && !t.isOp("-")) {
      advance();
      int rightStart = peek().start();
      Node<R> right = additive();
      return compare(left, t, right, rightStart, start);
    }
    if (t.isWord("MATCHES")) {
      advance();
      Token regex = advance();
      if (regex.kind() != Kind.STRING) {
        throw error(regex, "MATCHES needs a quoted regular expression, found " + regex.describe());
      }
      if (left.type != RuleType.STRING) {
        throw error(start, "MATCHES needs a string on its left, got " + describeType(left));
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex.text());
      } catch (PatternSyntaxException e) {
        throw error(regex, "invalid regular expression: " + e.getDescription());
      }
      return new RuleConditions.Matches<>(left, pattern, text(start));
    }
    if (t.isWord("IS")) {
      advance();
      boolean negated = peek().isWord("NOT");
      if (negated) {
        advance();
      }
      Token nullWord = advance();
      if (!nullWord.isWord("NULL")) {
        throw error(nullWord, "expected NULL after IS" + (negated ? " NOT" : ""));
      }
      return new RuleConditions.IsNull<>(left, negated, text(start));
    }
    return left;
  }

  private Node<R> compare(Node<R> left, Token op, Node<R> right, int rightStart, int start) {
    CompareMode mode;
    RuleType l = left.type;
    RuleType r = right.type;
    if (l == RuleType.NULL || r == RuleType.NULL) {
      mode = CompareMode.ALWAYS_NULL;
    } else if (l.isNumeric() && r.isNumeric()) {
      mode = l == RuleType.INTEGER && r == RuleType.INTEGER ? CompareMode.LONG : CompareMode.DOUBLE;
    } else if (isTemporal(l) && r == RuleType.STRING && right.isLiteral()) {
      right = coerce(right, l, rightStart);
      mode = CompareMode.LONG;
    } else if (isTemporal(r) && l == RuleType.STRING && left.isLiteral()) {
      left = coerce(left, r, start);
      mode = CompareMode.LONG;
    } else if (l == r && (l == RuleType.TIMESTAMP || l == RuleType.DATE)) {
      mode = CompareMode.LONG;
    } else if (l == RuleType.STRING && r == RuleType.STRING) {
      mode = CompareMode.STRING;
    } else if (l == RuleType.BOOLEAN && r == RuleType.BOOLEAN) {
      if (!op.isOp("=") && !op.isOp("!=")) {
        throw error(op, "booleans can only be compared with = or !=");
      }
      mode = CompareMode.BOOLEAN;
    } else {
      throw error(op, "cannot compare " + describeType(left) + " with " + describeType(right));
    }
    return new RuleConditions.Compare<>(
        left, RuleConditions.Op.of(op.text()), right, mode, text(start));
  }

  private static boolean isTemporal(RuleType type) {
    return type == RuleType.TIMESTAMP || type == RuleType.DATE;
  }

  /** A string literal compared with a timestamp or date is read as one, once, here. */
  private Node<R> coerce(Node<R> literal, RuleType to, int at) {
    String value = literal.str(null);
    try {
      if (to == RuleType.DATE) {
        return Constant.integral(to, literal.text, LocalDate.parse(value).toEpochDay(), true);
      }
      Instant instant = OffsetDateTime.parse(value).toInstant();
      return Constant.integral(to, literal.text, micros(instant), true);
    } catch (DateTimeException | ArithmeticException e) {
      throw error(
          at,
          to == RuleType.DATE
              ? "'" + value + "' is not a date (yyyy-MM-dd)"
              : "'"
                  + value
                  + "' is not an ISO-8601 timestamp with offset, e.g. 2026-11-20T14:30:00Z");
    }
  }

  private Node<R> additive() {
    int start = peek().start();
    Node<R> value = primary();
    while (peek().isOp("+") || peek().isOp("-")) {
      Token sign = advance();
      if (!peek().isWord("INTERVAL")) {
        throw error(
            sign,
            "'"
                + sign.text()
                + "' is only supported as <timestamp> "
                + sign.text()
                + " INTERVAL <n> <unit>");
      }
      advance();
      Token amount = advance();
      long n;
      try {
        n = amount.kind() == Kind.NUMBER ? Long.parseLong(amount.text()) : -1;
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0) {
        throw error(amount, "INTERVAL needs a whole number, found " + amount.describe());
      }
      Token unit = advance();
      long unitMicros = unitMicros(unit);
      long delta;
      if (value.type == RuleType.TIMESTAMP) {
        try {
          delta = Math.multiplyExact(n, unitMicros);
        } catch (ArithmeticException e) {
          throw error(amount, "INTERVAL is too large");
        }
      } else if (value.type == RuleType.DATE) {
        if (unitMicros != DAY_MICROS) {
          throw error(unit, "a date can only be shifted by DAYS");
        }
        delta = n;
      } else {
        throw error(
            sign, "INTERVAL needs a timestamp or date on its left, got " + describeType(value));
      }
      value = new RuleNodes.Shifted<>(value, sign.isOp("-") ? -delta : delta, text(start));
    }
    return value;
  }

  private long unitMicros(Token unit) {
    String u = unit.kind() == Kind.IDENT ? unit.text().toUpperCase(Locale.ROOT) : "";
    return switch (u) {
      case "SECOND", "SECONDS" -> MICROS_PER_SECOND;
      case "MINUTE", "MINUTES" -> 60 * MICROS_PER_SECOND;
      case "HOUR", "HOURS" -> 3_600 * MICROS_PER_SECOND;
      case "DAY", "DAYS" -> DAY_MICROS;
      default ->
          throw error(unit, "expected SECONDS, MINUTES, HOURS or DAYS, found " + unit.describe());
    };
  }

  private Node<R> primary() {
    Token t = advance();
    switch (t.kind()) {
      case NUMBER:
        return number(t.text(), t.text());
      case STRING:
        return Constant.string(rule.substring(t.start(), t.end()), t.text());
      case LPAREN:
        Node<R> inner = or();
        expect(Kind.RPAREN, "')' to close the '(' at position " + (t.start() + 1));
        return inner;
      case OP:
        if (t.isOp("-") && peek().kind() == Kind.NUMBER) {
          Token digits = advance();
          return number("-" + digits.text(), rule.substring(t.start(), digits.end()));
        }
        break;
      case IDENT:
        return identifier(t);
      default:
        break;
    }
    throw error(t, "expected a value, found " + t.describe());
  }

  private Node<R> number(String digits, String text) {
    boolean integral = digits.chars().allMatch(c -> Character.isDigit(c) || c == '-');
    if (integral) {
      try {
        return Constant.integer(text, Long.parseLong(digits));
      } catch (NumberFormatException tooLong) {
        // falls through to a double, like SQL's widening of big literals
      }
    }
    return Constant.number(text, Double.parseDouble(digits));
  }

  private Node<R> identifier(Token t) {
    String word = t.text().toLowerCase(Locale.ROOT);
    if (peek().kind() == Kind.LPAREN) {
      return function(t, word);
    }
    switch (word) {
      case "true":
        return Constant.bool(t.text(), true);
      case "false":
        return Constant.bool(t.text(), false);
      case "null":
        return Constant.nullValue(t.text());
      default:
        break;
    }
    if (RESERVED.contains(word)) {
      throw error(t, "expected a value, found " + t.describe());
    }
    RuleColumn<R> column = columns.get(t.text());
    if (column == null) {
      throw error(
          t,
          "unknown column '"
              + t.text()
              + "' (columns: "
              + String.join(", ", columns.keySet())
              + ")");
    }
    return new RuleNodes.ColumnNode<>(column);
  }

  private Node<R> function(Token name, String word) {
    advance(); // (
    List<Node<R>> args = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    boolean more = peek().kind() != Kind.RPAREN;
    while (more) {
      starts.add(peek().start());
      args.add(or());
      more = peek().kind() == Kind.COMMA;
      if (more) {
        advance();
      }
    }
    expect(Kind.RPAREN, "',' or ')' in the arguments of " + name.text() + "(...)");
    String text = text(name.start());
    switch (word) {
      case "now":
        if (!args.isEmpty()) {
          throw error(name, "now() takes no arguments");
        }
        return Constant.integral(RuleType.TIMESTAMP, text, nowMicros, false);
      case "greatest":
      case "least":
        if (args.size() < 2) {
          throw error(name, word + "(...) needs at least two arguments");
        }
        RuleType type = commonType(args, starts, word);
        return new RuleNodes.Extreme<>(type, args, word.equals("greatest"), text);
      default:
        throw error(name, "unknown function '" + name.text() + "' (known: greatest, least, now)");
    }
  }

  /**
   * Numbers mix (integers only if all are); other types must be all the same, except that string
   * literals among timestamps or dates are read as such. May replace those literals in {@code
   * args}.
   */
  private RuleType commonType(List<Node<R>> args, List<Integer> starts, String function) {
    RuleType temporal = null;
    for (Node<R> a : args) {
      if (isTemporal(a.type)) {
        temporal = a.type;
        break;
      }
    }
    for (int i = 0; temporal != null && i < args.size(); i++) {
      Node<R> a = args.get(i);
      if (a.type == RuleType.STRING && a.isLiteral()) {
        args.set(i, coerce(a, temporal, starts.get(i)));
      }
    }
    RuleType type = null;
    for (int i = 0; i < args.size(); i++) {
      RuleType t = args.get(i).type;
      if (t == RuleType.BOOLEAN || t == RuleType.NULL) {
        throw error(starts.get(i), function + "(...) cannot take " + describeType(args.get(i)));
      }
      if (type == null || type == t) {
        type = t;
      } else if (type.isNumeric() && t.isNumeric()) {
        type = RuleType.NUMBER;
      } else {
        throw error(
            starts.get(i),
            function
                + "(...) arguments must have one type: "
                + describeType(args.get(i))
                + " after "
                + type.label());
      }
    }
    return type;
  }

  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1_000);
  }

  private void requireBoolean(Node<R> node, int at, String message) {
    if (node.type != RuleType.BOOLEAN) {
      throw error(at, message + ", got " + describeType(node));
    }
  }

  private static String describeType(Node<?> node) {
    return node.type.label() + " " + node.text;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token advance() {
    Token t = tokens.get(next);
    if (t.kind() != Kind.END) {
      next++;
    }
    return t;
  }

  private void expect(Kind kind, String what) {
    Token t = advance();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
  }

  /** The rule's text from {@code start} to the end of the last token read. */
  private String text(int start) {
    int end = next == 0 ? start : tokens.get(next - 1).end();
    return rule.substring(start, Math.max(start, end));
  }

  private RuleSyntaxException error(Token at, String reason) {
    return error(at.start(), reason);
  }

  private RuleSyntaxException error(int offset, String reason) {
    return new RuleSyntaxException(rule, offset, reason);
  }
}

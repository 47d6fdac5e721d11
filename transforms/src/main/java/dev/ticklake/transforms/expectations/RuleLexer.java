package dev.ticklake.transforms.expectations;

import java.util.ArrayList;
import java.util.List;

/** Splits a rule into tokens; keywords are identifiers here and recognised by the parser. */
final class RuleLexer {

  enum Kind {
    IDENT,
    NUMBER,
    STRING,
    OP,
    LPAREN,
    RPAREN,
    COMMA,
    END
  }

  /**
   * One token. {@code text} is the source text, except for strings, where it is the unquoted value;
   * {@code start}/{@code end} are offsets into the rule.
   */
  record Token(Kind kind, String text, int start, int end) {
    boolean isWord(String keyword) {
      return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }

    boolean isOp(String op) {
      return kind == Kind.OP && text.equals(op);
    }

    String describe() {
      return switch (kind) {
        case END -> "the end of the rule";
        case STRING -> "string '" + text + "'";
        default -> "'" + text + "'";
      };
    }
  }

  private RuleLexer() {}

  static List<Token> tokenize(String rule) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = rule.length();
    while (i < n) {
      char c = rule.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(rule.charAt(i)) || rule.charAt(i) == '_')) {
          i++;
        }
        tokens.add(new Token(Kind.IDENT, rule.substring(start, i), start, i));
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(rule.charAt(i + 1)))) {
        i = number(rule, i, tokens);
      } else if (c == '\'') {
        i = string(rule, i, tokens);
      } else if (c == '(') {
        tokens.add(new Token(Kind.LPAREN, "(", i, ++i));
      } else if (c == ')') {
        tokens.add(new Token(Kind.RPAREN, ")", i, ++i));
      } else if (c == ',') {
        tokens.add(new Token(Kind.COMMA, ",", i, ++i));
      } else {
        i = operator(rule, i, tokens);
      }
    }
    tokens.add(new Token(Kind.END, "", n, n));
    return tokens;
  }

  private static int number(String rule, int i, List<Token> tokens) {
    int start = i;
    int n = rule.length();
    while (i < n && Character.isDigit(rule.charAt(i))) {
      i++;
    }
    if (i < n && rule.charAt(i) == '.') {
      i++;
      while (i < n && Character.isDigit(rule.charAt(i))) {
        i++;
      }
    }
    if (i < n && (rule.charAt(i) == 'e' || rule.charAt(i) == 'E')) {
      int exp = i + 1;
      if (exp < n && (rule.charAt(exp) == '+' || rule.charAt(exp) == '-')) {
        exp++;
      }
      if (exp >= n || !Character.isDigit(rule.charAt(exp))) {
        throw new RuleSyntaxException(rule, start, "malformed number exponent");
      }
      i = exp;
      while (i < n && Character.isDigit(rule.charAt(i))) {
        i++;
      }
    }
    if (i < n && (Character.isLetter(rule.charAt(i)) || rule.charAt(i) == '_')) {
      throw new RuleSyntaxException(
          rule, start, "malformed number '" + rule.substring(start, i + 1) + "'");
    }
    tokens.add(new Token(Kind.NUMBER, rule.substring(start, i), start, i));
    return i;
  }

  /** A single-quoted string; {@code ''} inside stands for one quote, as in SQL. */
  private static int string(String rule, int i, List<Token> tokens) {
    int start = i;
    StringBuilder value = new StringBuilder();
    i++;
    while (true) {
      if (i >= rule.length()) {
        throw new RuleSyntaxException(rule, start, "unterminated string (missing ')");
      }
      char c = rule.charAt(i);
      if (c == '\'') {
        if (i + 1 < rule.length() && rule.charAt(i + 1) == '\'') {
          value.append('\'');
          i += 2;
          continue;
        }
        i++;
        break;
      }
      value.append(c);
      i++;
    }
    tokens.add(new Token(Kind.STRING, value.toString(), start, i));
    return i;
  }

  private static int operator(String rule, int i, List<Token> tokens) {
    String two = i + 2 <= rule.length() ? rule.substring(i, i + 2) : "";
    if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("<>")) {
      tokens.add(new Token(Kind.OP, two.equals("<>") ? "!=" : two, i, i + 2));
      return i + 2;
    }
    char c = rule.charAt(i);
    if ("=<>+-".indexOf(c) >= 0) {
      tokens.add(new Token(Kind.OP, String.valueOf(c), i, i + 1));
      return i + 1;
    }
    throw new RuleSyntaxException(rule, i, "unexpected character '" + c + "'");
  }
}

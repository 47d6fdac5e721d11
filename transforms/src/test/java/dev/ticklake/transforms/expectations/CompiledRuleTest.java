package dev.ticklake.transforms.expectations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompiledRuleTest {
  static final Instant NOW = Instant.parse("2026-11-20T14:30:00Z");

  /** Rows are maps; a missing or null entry is SQL null. */
  static final List<RuleColumn<Map<String, Object>>> COLUMNS =
      List.of(
          RuleColumn.<Map<String, Object>>number("p", r -> (Double) r.get("p"))
              .nullWhen(r -> r.get("p") == null),
          RuleColumn.<Map<String, Object>>number("q", r -> (Double) r.get("q"))
              .nullWhen(r -> r.get("q") == null),
          RuleColumn.<Map<String, Object>>integer("n", r -> (Long) r.get("n"))
              .nullWhen(r -> r.get("n") == null),
          RuleColumn.<Map<String, Object>>timestampMicros("t", r -> micros((Instant) r.get("t")))
              .nullWhen(r -> r.get("t") == null),
          RuleColumn.<Map<String, Object>>date("d", r -> ((LocalDate) r.get("d")).toEpochDay())
              .nullWhen(r -> r.get("d") == null),
          RuleColumn.string("s", r -> (String) r.get("s")),
          RuleColumn.string("interval", r -> (String) r.get("interval")));

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A full row: p=2.5, q=-1.0, n=10, t=NOW, d=2026-11-20, s='AAPL', interval='1min'. */
  static Map<String, Object> sample() {
    return row(
        "p",
        2.5,
        "q",
        -1.0,
        "n",
        10L,
        "t",
        NOW,
        "d",
        LocalDate.parse("2026-11-20"),
        "s",
        "AAPL",
        "interval",
        "1min");
  }

  static CompiledRule<Map<String, Object>> compile(String rule) {
    return CompiledRule.compile(rule, COLUMNS, NOW);
  }

  static Boolean eval(String rule, Map<String, Object> row) {
    return compile(rule).evaluate(row);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // every comparison operator on doubles, integers and mixed
        "p = 2.5 | true",
        "p = 2 | false",
        "p != 2.5 | false",
        "p <> 3 | true",
        "p < 3 | true",
        "p < 2.5 | false",
        "p <= 2.5 | true",
        "p > 2.5 | false",
        "p >= 2.5 | true",
        "p > 2 | true",
        "q < 0 | true",
        "q = -1 | true",
        "q > -1.5 | true",
        "n = 10 | true",
        "n > 9.5 | true",
        "n <= 9 | false",
        "n >= 1e1 | true",
        "n < .5e2 | true",
        "2.5 = p | true",
        "0 < n | true",
        // strings, quotes
        "s = 'AAPL' | true",
        "s != 'AAPL' | false",
        "s < 'B' | true",
        "s > 'AAPLE' | false",
        "s >= 'AAPL' | true",
        "'it''s' = 'it''s' | true",
        "'a' < 'b' | true",
        // MATCHES: found anywhere unless anchored
        "s MATCHES 'AP' | true",
        "s MATCHES '^AP' | false",
        "s MATCHES '^[A-Z]{1,5}$' | true",
        "s matches '^[a-z]+$' | false",
        // booleans
        "TRUE | true",
        "FALSE | false",
        "true = (p > 0) | true",
        "(p > 0) != (q > 0) | true",
        // logic, precedence (NOT > AND > OR), case-insensitive keywords
        "p > 0 AND q > 0 | false",
        "p > 0 OR q > 0 | true",
        "NOT p > 0 | false",
        "not (q > 0) and p > 0 | true",
        "q > 0 AND p > 0 OR n = 10 | true",
        "q > 0 AND (p > 0 OR n = 10) | false",
        "NOT NOT p > 0 | true",
        "p > 0 AND q < 0 AND n = 10 AND s = 'AAPL' | true",
        "q > 0 OR q > 1 OR q > 2 | false",
        // IS [NOT] NULL
        "p IS NULL | false",
        "p IS NOT NULL | true",
        "interval IS NOT NULL | true",
        // greatest / least, mixed integer and double
        "greatest(p, q) = 2.5 | true",
        "least(p, q) = -1 | true",
        "greatest(p, n, 3) = 10 | true",
        "least(n, 3) = 3 | true",
        "greatest(s, 'B') = 'B' | true",
        "least(s, 'B') = 'AAPL' | true",
        "greatest(t, '2027-01-01T00:00:00Z') > t | true",
        "least(d, '2026-01-01') < d | true",
        // timestamps, now(), INTERVAL in every unit, string literals read as instants/dates
        "t = now() | true",
        "t <= now() + INTERVAL 5 MINUTES | true",
        "t > now() - INTERVAL 1 SECOND | true",
        "t < now() - INTERVAL 1 SECONDS | false",
        "t + INTERVAL 1 HOUR = '2026-11-20T15:30:00Z' | true",
        "t - INTERVAL 2 DAYS = '2026-11-18T14:30:00Z' | true",
        "t + interval 90 minutes - interval 30 minute = '2026-11-20T15:30:00+00:00' | true",
        "t = '2026-11-20T16:30:00+02:00' | true",
        "'2026-11-20T14:30:00.000001Z' > t | true",
        "d = '2026-11-20' | true",
        "d + INTERVAL 1 DAY > d | true",
        "d < '2026-11-21' | true",
        // a column may be named like a keyword where the grammar expects a value
        "interval = '1min' | true",
        "interval = '1min' AND t + INTERVAL 1 MINUTE > t | true",
      })
  void evaluatesEveryOperatorOnAFullRow(String rule, boolean expected) {
    assertThat(eval(rule, sample())).as(rule).isEqualTo(expected);
    assertThat(compile(rule).test(sample())).isEqualTo(expected);
  }

  @Test
  void integersCompareExactlyBeyondDoublePrecision() {
    Map<String, Object> big = row("n", 9_007_199_254_740_993L);
    assertThat(eval("n = 9007199254740992", big)).isFalse();
    assertThat(eval("n > 9007199254740992", big)).isTrue();
    assertThat(eval("n = 9007199254740993", big)).isTrue();
  }

  @ParameterizedTest(name = "{0} is {1} when p is null")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "unknown",
      value = {
        "p > 0 | unknown",
        "p = p | unknown",
        "p != 0 | unknown",
        "NOT p > 0 | unknown",
        // Kleene logic: false AND unknown = false, true OR unknown = true
        "p > 0 AND q > 0 | false",
        "p > 0 AND q < 0 | unknown",
        "q > 0 AND p > 0 | false",
        "p > 0 OR q < 0 | true",
        "p > 0 OR q > 0 | unknown",
        "q < 0 OR p > 0 | true",
        "p IS NULL | true",
        "p IS NOT NULL | false",
        "p IS NULL OR p > 0 | true",
        "s MATCHES 'A' | unknown",
        "s = 'A' | unknown",
        "s IS NULL | true",
        "greatest(p, q) = -1 | true",
        "least(p, n) = 10 | true",
        "greatest(p, s2) IS NULL | true",
        "p = NULL | unknown",
        "NULL = NULL | unknown",
        "NULL IS NULL | true",
        "t + INTERVAL 1 DAY > now() | unknown",
      })
  void followsSqlNullSemantics(String rule, Boolean expected) {
    // p, s and t are null here; s2 is not a column, so that case uses p twice instead
    String r = rule.replace("s2", "p");
    Map<String, Object> row = row("q", -1.0, "n", 10L);
    assertThat(eval(r, row)).as(r).isEqualTo(expected);
    assertThat(compile(r).test(row))
        .as("passes only when true")
        .isEqualTo(Boolean.TRUE.equals(expected));
  }

  @Test
  void matchesGivesEachValueItsOwnResultInAnyOrderAndBeyondItsCache() {
    CompiledRule<Map<String, Object>> rule = compile("s MATCHES '^[A-Z]{1,5}$'");
    // Values interleaved, as symbols arrive round-robin; then 3,000 distinct ids (more than the
    // 1,024 results the node keeps), each alternating with a valid and an invalid symbol.
    for (int round = 0; round < 3; round++) {
      for (String s : List.of("AAPL", "msft", "GOOGL", "TOOLONG", "A", "")) {
        boolean expected = s.matches("[A-Z]{1,5}");
        assertThat(rule.test(row("s", s))).as(s).isEqualTo(expected);
      }
    }
    for (int i = 0; i < 3000; i++) {
      String id = (i % 2 == 0 ? "ID" : "id") + i;
      assertThat(rule.test(row("s", id))).as(id).isFalse();
      String upper = String.valueOf((char) ('A' + i % 26)) + (char) ('A' + (i / 26) % 26);
      assertThat(rule.test(row("s", upper))).as(upper).isTrue();
      assertThat(rule.test(row("s", upper.toLowerCase(java.util.Locale.ROOT)))).isFalse();
    }
    assertThat(rule.test(row("s", null))).as("null is unknown: not passed").isFalse();
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | 1 | the rule is empty",
        "'p >' | 4 | expected a value, found the end of the rule",
        "'p > AND q > 0' | 5 | expected a value, found 'AND'",
        "'(p > 0' | 7 | expected ')' to close the '(' at position 1, found the end of the rule",
        "'p > 0)' | 6 | unexpected ')' after a complete condition",
        "'p > 0 q' | 7 | unexpected 'q' after a complete condition",
        "'price > 0' | 1 | unknown column 'price' (columns: p, q, n, t, d, s, interval)",
        "'P > 0' | 1 | unknown column 'P' (columns: p, q, n, t, d, s, interval)",
        "'max(p, q) > 0' | 1 | unknown function 'max' (known: greatest, least, now)",
        "'s > 0' | 3 | cannot compare string s with integer 0",
        "'t > 5' | 3 | cannot compare timestamp t with integer 5",
        "'p > TRUE' | 3 | cannot compare number p with boolean TRUE",
        "'(p > 0) < TRUE' | 9 | booleans can only be compared with = or !=",
        "'p' | 1 | a rule must be a condition (true or false), got number p",
        "'greatest(p, q)' | 1 | 'a rule must be a condition (true or false), got number greatest(p, q)'",
        "'p AND q > 0' | 1 | AND needs conditions on both sides, got number p",
        "'p > 0 OR q' | 10 | OR needs conditions on both sides, got number q",
        "'NOT p' | 5 | NOT needs a condition, got number p",
        "'p MATCHES ''a''' | 1 | MATCHES needs a string on its left, got number p",
        "'s MATCHES a' | 11 | MATCHES needs a quoted regular expression, found 'a'",
        "'s MATCHES ''[A-Z''' | 11 | 'invalid regular expression: Unclosed character class'",
        "'s IS 5' | 6 | expected NULL after IS",
        "'s IS NOT TRUE' | 10 | expected NULL after IS NOT",
        "'s = ''abc' | 5 | unterminated string (missing ')",
        "'p > 0 ; q' | 7 | unexpected character ';'",
        "'p > 1x' | 5 | malformed number '1x'",
        "'p > 1e' | 5 | malformed number exponent",
        "'p + 1 > 0' | 3 | '+' is only supported as <timestamp> + INTERVAL <n> <unit>",
        "'p + INTERVAL 1 DAY > 0' | 3 | INTERVAL needs a timestamp or date on its left, got number p",
        "'t + INTERVAL 1 WEEK > t' | 16 | expected SECONDS, MINUTES, HOURS or DAYS, found 'WEEK'",
        "'t + INTERVAL x DAYS > t' | 14 | INTERVAL needs a whole number, found 'x'",
        "'t + INTERVAL 1.5 DAYS > t' | 14 | INTERVAL needs a whole number, found '1.5'",
        "'d + INTERVAL 1 HOUR > d' | 16 | a date can only be shifted by DAYS",
        "'now(1) > t' | 1 | now() takes no arguments",
        "'greatest(p) > 0' | 1 | greatest(...) needs at least two arguments",
        "'least(p, s) > 0' | 10 | least(...) arguments must have one type: string s after number",
        "'greatest(p, q > 0) > 0' | 13 | greatest(...) cannot take boolean q > 0",
        "'greatest(p, q > 0' | 18 | expected ',' or ')' in the arguments of greatest(...), found the end of the rule",
        "'t > ''yesterday''' | 5 | 'yesterday' is not an ISO-8601 timestamp with offset, e.g. 2026-11-20T14:30:00Z",
        "'d = ''2026-13-01''' | 5 | '2026-13-01' is not a date (yyyy-MM-dd)",
        "'t > s' | 3 | cannot compare timestamp t with string s",
        "'''x'' < t' | 1 | '''x'' is not an ISO-8601 timestamp with offset, e.g. 2026-11-20T14:30:00Z'",
        "'greatest(t, ''2026'') > t' | 13 | '''2026'' is not an ISO-8601 timestamp with offset, e.g. 2026-11-20T14:30:00Z'",
      })
  void rejectsBadRulesWithPositionAndReason(String rule, int position, String reason) {
    assertThatThrownBy(() -> compile(rule))
        .isInstanceOfSatisfying(
            RuleSyntaxException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.position()).isEqualTo(position);
              assertThat(e.rule()).isEqualTo(rule);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "invalid rule at position "
                          + position
                          + ": "
                          + reason
                          + "\n  "
                          + rule
                          + "\n  "
                          + " ".repeat(position - 1)
                          + "^");
            });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "p > 3 | p 2.5 must be > 3",
        "3 < p | 3 must be < p 2.5",
        "n = 11 | n 10 must be = 11",
        "p > 0 AND q > 0 AND n > 0 | q -1.0 must be > 0",
        "q > 0 OR n > 10 | q -1.0 must be > 0, or n 10 must be > 10",
        "NOT p > 0 | must not hold: p > 0",
        "s MATCHES '^[a-z]+$' | s 'AAPL' must match '^[a-z]+$'",
        "s IS NULL | s 'AAPL' must be null",
        "greatest(p, n) < 5 | greatest(p, n) (10.0) must be < 5",
        "q >= least(p, n) | q -1.0 must be >= least(p, n) (2.5)",
        "t > now() + INTERVAL 5 MINUTES | t 2026-11-20T14:30:00Z must be > now() + INTERVAL 5 MINUTES (2026-11-20T14:35:00Z)",
        "t < '2026-01-01T00:00:00Z' | t 2026-11-20T14:30:00Z must be < '2026-01-01T00:00:00Z'",
        "d > '2026-11-20' | d 2026-11-20 must be > '2026-11-20'",
        "FALSE | FALSE must be true",
        "(p > 0) = FALSE | p > 0 (true) must be = FALSE",
      })
  void explainsFailuresWithTheRowsValues(String rule, String reason) {
    assertThat(compile(rule).explain(sample())).isEqualTo(reason);
  }

  @Test
  void explainsNullsAndPassingRows() {
    Map<String, Object> nulls = row("q", -1.0);
    assertThat(compile("p > 0").explain(nulls)).isEqualTo("p is null");
    assertThat(compile("q < p").explain(nulls)).isEqualTo("p is null");
    assertThat(compile("s MATCHES 'x'").explain(nulls)).isEqualTo("s is null");
    assertThat(compile("s IS NOT NULL").explain(nulls)).isEqualTo("s must not be null");
    assertThat(compile("NOT p > 0").explain(nulls)).isEqualTo("p is null");
    assertThat(compile("p = NULL").explain(nulls))
        .isEqualTo("p = NULL is null (a comparison with NULL is never true; use IS NULL)");
    assertThat(compile("q < 0").explain(nulls)).as("a passing row has no reason").isEmpty();
  }

  @Test
  void longStringsAreShortenedInReasons() {
    String symbol = "X".repeat(100);
    assertThat(compile("s = 'A'").explain(row("s", symbol)))
        .isEqualTo("s '" + "X".repeat(64) + "...' (100 chars) must be = 'A'");
  }

  @Test
  void nowIsTheInstantGivenAtCompileTime() {
    Map<String, Object> at = row("t", Instant.parse("2026-11-20T14:34:59.999999Z"));
    String rule = "t <= now() + INTERVAL 5 MINUTES";
    assertThat(CompiledRule.compile(rule, COLUMNS, NOW).test(at)).isTrue();
    assertThat(CompiledRule.compile(rule, COLUMNS, NOW.minusNanos(1_000)).test(at)).isTrue();
    assertThat(CompiledRule.compile(rule, COLUMNS, NOW.minusNanos(2_000)).test(at)).isFalse();
    assertThat(compile(rule).rule()).isEqualTo(rule).isEqualTo(compile(rule).toString());
  }
}

package dev.ticklake.orchestrator.core.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {

  @ParameterizedTest(name = "''{0}'' after {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          */5 * * * *        | 2026-01-01T00:00:00Z     | 2026-01-01T00:05:00Z
          */5 * * * *        | 2026-01-01T00:04:59.999Z | 2026-01-01T00:05:00Z
          */5 * * * *        | 2026-01-01T00:58:00Z     | 2026-01-01T01:00:00Z
          0 9-17/4 * * *     | 2026-01-01T09:00:00Z     | 2026-01-01T13:00:00Z
          0 9-17/4 * * *     | 2026-01-01T17:00:00Z     | 2026-01-02T09:00:00Z
          15,45 * * * *      | 2026-01-01T00:15:00Z     | 2026-01-01T00:45:00Z
          30 14 * * MON-FRI  | 2026-01-02T15:00:00Z     | 2026-01-05T14:30:00Z
          0 0 1 * *          | 2026-01-31T12:00:00Z     | 2026-02-01T00:00:00Z
          0 0 29 2 *         | 2026-01-01T00:00:00Z     | 2028-02-29T00:00:00Z
          0 0 31 * *         | 2026-04-01T00:00:00Z     | 2026-05-31T00:00:00Z
          0 0 13 * 5         | 2026-03-01T00:00:00Z     | 2026-03-06T00:00:00Z
          0 0 * * 7          | 2026-01-01T00:00:00Z     | 2026-01-04T00:00:00Z
          0 0 1 JAN,jul *    | 2026-02-01T00:00:00Z     | 2026-07-01T00:00:00Z
          */10 * * * * *     | 2026-01-01T00:00:05Z     | 2026-01-01T00:00:10Z
          30 */2 * * * *     | 2026-01-01T00:00:30Z     | 2026-01-01T00:02:30Z
          5/20 * * * *       | 2026-01-01T00:05:00Z     | 2026-01-01T00:25:00Z
          @hourly            | 2026-01-01T10:00:00Z     | 2026-01-01T11:00:00Z
          @daily             | 2026-01-01T10:00:00Z     | 2026-01-02T00:00:00Z
          @weekly            | 2026-01-01T10:00:00Z     | 2026-01-04T00:00:00Z
          @monthly           | 2026-01-01T10:00:00Z     | 2026-02-01T00:00:00Z
          @yearly            | 2026-01-01T00:00:00Z     | 2027-01-01T00:00:00Z
          """)
  void nextFireTimeInUtc(String expression, String after, String expected) {
    assertThat(CronExpression.parse(expression).next(Instant.parse(after)))
        .contains(Instant.parse(expected));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          61 * * * *    | minute field '61': value 61 is out of range 0-59
          * 24 * * *    | hour field '24': value 24 is out of range 0-23
          * * 0 * *     | day-of-month field '0': value 0 is out of range 1-31
          * * * 13 *    | month field '13': value 13 is out of range 1-12
          * * * * 8     | day-of-week field '8': value 8 is out of range 0-7
          */0 * * * *   | minute field '*/0': step must be at least 1
          5-1 * * * *   | minute field '5-1': range '5-1' goes backwards
          a * * * *     | minute field 'a': 'a' is not a number
          1,,2 * * * *  | minute field '1,,2': '' is not a number
          * * * *       | a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading second field, got 4 in '* * * *'
          @every5s      | unknown macro '@every5s' (known: @yearly, @monthly, @weekly, @daily, @hourly)
          0 0 30 2 *    | '0 0 30 2 *' never fires
          """)
  void rejectsBadExpressionsNamingTheField(String expression, String message) {
    assertThatThrownBy(() -> CronExpression.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}

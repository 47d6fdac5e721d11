package dev.ticklake.orchestrator.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.dag.TriggerRule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerRuleEvaluatorTest {

  @ParameterizedTest(name = "{0} with [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # rule      | upstream states                     | decision
          all_success | success success                     | RUN
          all_success | success running                     | WAIT
          all_success | success none                        | WAIT
          all_success | success up_for_retry                | WAIT
          all_success | failed running                      | UPSTREAM_FAILED
          all_success | upstream_failed success             | UPSTREAM_FAILED
          all_success | skipped running                     | SKIP
          all_success | skipped success                     | SKIP
          all_success | skipped failed                      | UPSTREAM_FAILED
          all_success | canceled success                    | UPSTREAM_FAILED
          all_done    | canceled success                    | RUN
          one_failed  | canceled success                    | RUN
          all_done    | success failed skipped upstream_failed | RUN
          all_done    | success queued                      | WAIT
          all_done    | failed up_for_retry                 | WAIT
          none_failed | success skipped                     | RUN
          none_failed | skipped skipped                     | RUN
          none_failed | success running                     | WAIT
          none_failed | failed running                      | UPSTREAM_FAILED
          none_failed | upstream_failed success             | UPSTREAM_FAILED
          one_success | success running                     | RUN
          one_success | failed success                      | RUN
          one_success | running scheduled                   | WAIT
          one_success | failed running                      | WAIT
          one_success | failed skipped                      | UPSTREAM_FAILED
          one_success | upstream_failed failed              | UPSTREAM_FAILED
          one_success | skipped skipped                     | SKIP
          one_failed  | failed running                      | RUN
          one_failed  | upstream_failed running             | RUN
          one_failed  | success running                     | WAIT
          one_failed  | success skipped                     | SKIP
          one_failed  | success success                     | SKIP
          always      | running none                        | RUN
          always      | failed upstream_failed              | RUN
          always      | skipped                             | RUN
          """)
  void decides(String rule, String upstream, TriggerDecision expected) {
    List<TaskState> states = Arrays.stream(upstream.split(" ")).map(TaskState::fromDbName).toList();

    assertThat(TriggerRuleEvaluator.evaluate(TriggerRule.fromYamlName(rule).orElseThrow(), states))
        .isEqualTo(expected);
  }

  @Test
  void aTaskWithoutUpstreamRunsWhateverItsRule() {
    for (TriggerRule rule : TriggerRule.values()) {
      assertThat(TriggerRuleEvaluator.evaluate(rule, List.of())).isEqualTo(TriggerDecision.RUN);
    }
  }
}

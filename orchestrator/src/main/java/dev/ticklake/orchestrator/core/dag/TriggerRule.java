package dev.ticklake.orchestrator.core.dag;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a task runs, given its upstream tasks (Airflow's trigger rules; evaluated by {@code
 * core.state.TriggerRuleEvaluator}). Written in YAML in lower case: {@code all_success}.
 */
public enum TriggerRule {
  /** Default: every upstream succeeded. Any failure: upstream_failed; any skip: skipped. */
  ALL_SUCCESS,
  /** Every upstream finished, whatever the outcome. */
  ALL_DONE,
  /** Every upstream finished and none failed (skipped is fine). Any failure: upstream_failed. */
  NONE_FAILED,
  /** At least one upstream succeeded; runs without waiting for the others. */
  ONE_SUCCESS,
  /** At least one upstream failed; runs without waiting for the others. */
  ONE_FAILED,
  /** Runs at once, whatever the upstream tasks do. */
  ALWAYS;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TriggerRule> fromYamlName(String name) {
    return Arrays.stream(values()).filter(r -> r.yamlName().equals(name)).findFirst();
  }

  /** "all_success, all_done, ..." for error messages. */
  public static String knownNames() {
    return Arrays.stream(values()).map(TriggerRule::yamlName).collect(Collectors.joining(", "));
  }
}

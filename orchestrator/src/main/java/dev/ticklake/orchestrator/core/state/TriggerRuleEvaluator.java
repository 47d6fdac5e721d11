package dev.ticklake.orchestrator.core.state;

import dev.ticklake.orchestrator.core.dag.TriggerRule;
import java.util.Collection;

/**
 * Evaluates a trigger rule against the current states of a task's upstream task instances, with
 * Airflow's semantics. A pure function: no I/O, same input same output, thread-safe.
 *
 * <p>A task without upstream tasks always gets {@link TriggerDecision#RUN}. "Done" means {@link
 * TaskState#TERMINAL}; "failed" counts {@code failed}, {@code upstream_failed} and {@code canceled}
 * (a canceled task did not produce what its downstream tasks need).
 *
 * <table>
 *   <caption>Decision per rule</caption>
 *   <tr><th>rule</th><th>decision</th></tr>
 *   <tr><td>all_success</td><td>any failed: UPSTREAM_FAILED; else any skipped: SKIP; else all
 *       success: RUN; else WAIT</td></tr>
 *   <tr><td>all_done</td><td>all done: RUN; else WAIT</td></tr>
 *   <tr><td>none_failed</td><td>any failed: UPSTREAM_FAILED; else all done: RUN; else WAIT</td></tr>
 *   <tr><td>one_success</td><td>any success: RUN; else all done: SKIP if all skipped, else
 *       UPSTREAM_FAILED; else WAIT</td></tr>
 *   <tr><td>one_failed</td><td>any failed: RUN; else all done: SKIP; else WAIT</td></tr>
 *   <tr><td>always</td><td>RUN</td></tr>
 * </table>
 */
public final class TriggerRuleEvaluator {

  private TriggerRuleEvaluator() {}

  public static TriggerDecision evaluate(TriggerRule rule, Collection<TaskState> upstreamStates) {
    if (upstreamStates.isEmpty() || rule == TriggerRule.ALWAYS) {
      return TriggerDecision.RUN;
    }
    int total = upstreamStates.size();
    int success = 0;
    int failed = 0;
    int skipped = 0;
    int done = 0;
    for (TaskState state : upstreamStates) {
      switch (state) {
        case SUCCESS -> success++;
        case FAILED, UPSTREAM_FAILED, CANCELED -> failed++;
        case SKIPPED -> skipped++;
        default -> {}
      }
      if (state.isTerminal()) {
        done++;
      }
    }
    boolean allDone = done == total;
    return switch (rule) {
      case ALL_SUCCESS -> {
        if (failed > 0) {
          yield TriggerDecision.UPSTREAM_FAILED;
        } else if (skipped > 0) {
          yield TriggerDecision.SKIP;
        }
        yield success == total ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case ALL_DONE -> allDone ? TriggerDecision.RUN : TriggerDecision.WAIT;
      case NONE_FAILED -> {
        if (failed > 0) {
          yield TriggerDecision.UPSTREAM_FAILED;
        }
        yield allDone ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case ONE_SUCCESS -> {
        if (success > 0) {
          yield TriggerDecision.RUN;
        } else if (!allDone) {
          yield TriggerDecision.WAIT;
        }
        yield skipped == total ? TriggerDecision.SKIP : TriggerDecision.UPSTREAM_FAILED;
      }
      case ONE_FAILED -> {
        if (failed > 0) {
          yield TriggerDecision.RUN;
        }
        yield allDone ? TriggerDecision.SKIP : TriggerDecision.WAIT;
      }
      case ALWAYS -> TriggerDecision.RUN;
    };
  }
}

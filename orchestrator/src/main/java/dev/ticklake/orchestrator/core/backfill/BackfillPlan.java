package dev.ticklake.orchestrator.core.backfill;

import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DatasetSchedule;
import dev.ticklake.orchestrator.core.dag.ManualOnly;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The logical times a backfill of a DAG covers: every fire time of the DAG's schedule (interval or
 * cron, in UTC, never before its {@code start_date}) in [{@code from}, {@code to}], both ends
 * included. Pure logic.
 *
 * @param first the first logical time
 * @param count how many logical times the range holds (at least 1)
 */
public record BackfillPlan(Instant first, int count) {

  /**
   * Plans a backfill of {@code dag} over [{@code from}, {@code to}] of at most {@code maxRuns}
   * runs.
   *
   * @throws BackfillRequestException (400) when the DAG has no time-based schedule, {@code from} is
   *     after {@code to}, the range holds no logical time, or more than {@code maxRuns}
   */
  public static BackfillPlan of(DagDefinition dag, Instant from, Instant to, int maxRuns) {
    requireTimeBased(dag);
    if (from.isAfter(to)) {
      throw BackfillRequestException.badRequest(
          "from (" + from + ") is after to (" + to + "): give a range with from <= to");
    }
    Optional<Instant> first = firstAtOrAfter(dag, from).filter(t -> !t.isAfter(to));
    if (first.isEmpty()) {
      throw BackfillRequestException.badRequest(
          "no logical time of DAG '"
              + dag.dagId()
              + "' (schedule "
              + dag.schedule().describe()
              + ", start_date "
              + dag.startDate().orElseThrow()
              + ") lies in ["
              + from
              + ", "
              + to
              + "]: nothing to backfill");
    }
    int count = 1;
    Instant t = first.get();
    while (true) {
      Optional<Instant> next = next(dag, t, to);
      if (next.isEmpty()) {
        break;
      }
      t = next.get();
      if (++count > maxRuns) {
        throw BackfillRequestException.badRequest(
            "the range ["
                + from
                + ", "
                + to
                + "] holds more than "
                + maxRuns
                + " logical times of schedule "
                + dag.schedule().describe()
                + " (backfill.maxRuns): split it into smaller backfills");
      }
    }
    return new BackfillPlan(first.get(), count);
  }

  /** Every logical time of the plan, in order (for tests and small ranges). */
  public static List<Instant> logicalTimes(DagDefinition dag, Instant from, Instant to) {
    List<Instant> out = new ArrayList<>();
    for (Optional<Instant> t = firstAtOrAfter(dag, from).filter(x -> !x.isAfter(to));
        t.isPresent();
        t = next(dag, t.get(), to)) {
      out.add(t.get());
    }
    return out;
  }

  /** The logical time after {@code current} if it is at or before {@code to}. */
  public static Optional<Instant> next(DagDefinition dag, Instant current, Instant to) {
    return dag.schedule()
        .nextFireTime(current, dag.startDate().orElseThrow())
        .filter(t -> !t.isAfter(to));
  }

  private static Optional<Instant> firstAtOrAfter(DagDefinition dag, Instant from) {
    return dag.schedule().nextFireTime(from.minusNanos(1), dag.startDate().orElseThrow());
  }

  private static void requireTimeBased(DagDefinition dag) {
    String why = null;
    if (dag.schedule() instanceof ManualOnly) {
      why =
          "DAG '"
              + dag.dagId()
              + "' has no schedule (manual only), so it has no logical times to backfill;"
              + " trigger runs instead (POST /api/v1/dags/"
              + dag.dagId()
              + "/runs)";
    } else if (dag.schedule() instanceof DatasetSchedule d) {
      why =
          "DAG '"
              + dag.dagId()
              + "' is data-aware ("
              + d.describe()
              + "): its runs follow dataset versions, not the clock, so there is no date range"
              + " to backfill; trigger runs instead";
    } else if (!dag.schedule().isTimeBased()) {
      why = "DAG '" + dag.dagId() + "' has no time-based schedule: nothing to backfill";
    }
    if (why != null) {
      throw BackfillRequestException.badRequest(why);
    }
  }
}

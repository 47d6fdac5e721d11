package dev.ticklake.orchestrator.core.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * State of one DAG run, as in Airflow: created {@code queued}, {@code running} once the scheduler
 * admits it under {@code max_active_runs}, then {@code success} or {@code failed}; {@code canceled}
 * when a user cancels it while it is queued or running (spelled as the backfill state {@code
 * canceled}). A finished run goes back to {@code queued} only when it is cleared (re-run).
 */
public enum DagRunState {
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED,
  CANCELED;

  private static final Map<DagRunState, Set<DagRunState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, FAILED, CANCELED),
          RUNNING, EnumSet.of(SUCCESS, FAILED, CANCELED),
          SUCCESS, EnumSet.of(QUEUED),
          FAILED, EnumSet.of(QUEUED),
          CANCELED, EnumSet.of(QUEUED));

  /** Runs that are over; the others count against {@code max_active_runs} once running. */
  public static final Set<DagRunState> TERMINAL =
      Collections.unmodifiableSet(EnumSet.of(SUCCESS, FAILED, CANCELED));

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** Whether {@code this -> to} is a legal move (terminal to queued is the clear/re-run). */
  public boolean canMoveTo(DagRunState to) {
    return ALLOWED.get(this).contains(to);
  }

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DagRunState fromDbName(String name) {
    for (DagRunState state : values()) {
      if (state.dbName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "Unknown DAG run state '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(DagRunState::dbName).collect(Collectors.joining(", "))
            + ")");
  }

  @Override
  public String toString() {
    return dbName();
  }
}

package dev.ticklake.orchestrator.core.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * State of one task instance, as in Airflow. Stored and shown in lower case ({@code up_for_retry}).
 *
 * <p>{@link #NONE} is the state of a task instance that exists (it is created together with its DAG
 * run) but whose trigger rule has not been decided yet, typically because its upstream tasks are
 * not done. Airflow has the same {@code None} state. Keeping it separate from {@link #SCHEDULED}
 * lets the scheduler, the API and the event log tell "waiting for upstream" from "ready, waiting
 * for a worker", and lets {@code clear} re-run a task through its trigger rule.
 */
public enum TaskState {
  NONE,
  SCHEDULED,
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED,
  UP_FOR_RETRY,
  UPSTREAM_FAILED,
  SKIPPED,
  /** A user canceled the task instance or its run: it never runs (again) unless cleared. */
  CANCELED;

  /** States a task instance never leaves except through an explicit clear. */
  public static final Set<TaskState> TERMINAL =
      Collections.unmodifiableSet(EnumSet.of(SUCCESS, FAILED, UPSTREAM_FAILED, SKIPPED, CANCELED));

  /** States of a task instance that still has work ahead: the complement of {@link #TERMINAL}. */
  public static final Set<TaskState> UNFINISHED =
      Collections.unmodifiableSet(EnumSet.of(NONE, SCHEDULED, QUEUED, RUNNING, UP_FOR_RETRY));

  /** The name used in the database, the API and the YAML: {@code up_for_retry}. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** Parses {@link #dbName()}; the message lists the known states. */
  public static TaskState fromDbName(String name) {
    for (TaskState state : values()) {
      if (state.dbName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "Unknown task state '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(TaskState::dbName).collect(Collectors.joining(", "))
            + ")");
  }

  @Override
  public String toString() {
    return dbName();
  }
}

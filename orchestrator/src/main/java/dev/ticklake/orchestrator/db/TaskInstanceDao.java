package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.core.state.TaskStateMachine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * Task instances: queries, the state compare-and-set, heartbeats and the event history.
 * Thread-safe; every method is one transaction.
 */
public final class TaskInstanceDao {

  private final Jdbi jdbi;

  public TaskInstanceDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * Applies {@code change} only if the task instance is in {@code change.expectedState()} (and,
   * when given, at {@code change.expectedVersion()}): sets the new state, increments {@code
   * version}, updates the columns the new state implies, and appends one {@code task_event} row,
   * all in the same transaction. Returns whether this call won; among concurrent callers expecting
   * the same state exactly one wins, and a loser writes nothing.
   *
   * <p>Columns set by the new state: {@code queued} sets {@code queued_at}; {@code running}
   * increments {@code try_number} and sets {@code started_at}, {@code last_heartbeat_at}, {@code
   * hostname}, {@code pid}, and clears {@code ended_at}; {@code up_for_retry} sets {@code ended_at}
   * and {@code next_retry_at}; terminal states set {@code ended_at}; {@code scheduled} clears
   * {@code next_retry_at}; a clear (to {@code none}) resets every timestamp and the worker, and
   * sets {@code max_tries} when given.
   *
   * @throws dev.ticklake.orchestrator.core.state.IllegalStateTransitionException if the move is not
   *     allowed by {@link TaskStateMachine} (checked before touching the database)
   */
  public boolean compareAndSetState(TaskStateChange change) {
    return jdbi.inTransaction(h -> compareAndSetState(h, change));
  }

  /**
   * {@link #compareAndSetState(TaskStateChange)} inside the caller's transaction, so that several
   * changes (a clear of many task instances) commit or roll back together.
   */
  public static boolean compareAndSetState(Handle handle, TaskStateChange change) {
    TaskStateMachine.requireAllowed(
        change.key(), change.expectedState(), change.newState(), change.kind(), change.reason());
    if (change.newState() == TaskState.UP_FOR_RETRY && change.nextRetryAt() == null) {
      throw new IllegalArgumentException(
          "Task instance " + change.key() + ": moving to up_for_retry needs nextRetryAt");
    }
    List<String> sets = new ArrayList<>(List.of("state = :to", "version = version + 1"));
    TaskState to = change.newState();
    switch (to) {
      case QUEUED -> sets.add("queued_at = :at");
      case RUNNING ->
          sets.addAll(
              List.of(
                  "try_number = try_number + 1",
                  "started_at = :at",
                  "last_heartbeat_at = :at",
                  "ended_at = NULL",
                  "hostname = :hostname",
                  "pid = :pid"));
      case UP_FOR_RETRY -> sets.addAll(List.of("ended_at = :at", "next_retry_at = :next_retry"));
      case SCHEDULED -> sets.add("next_retry_at = NULL");
      case SUCCESS, FAILED, UPSTREAM_FAILED, SKIPPED, CANCELED -> sets.add("ended_at = :at");
      case NONE ->
          sets.addAll(
              List.of(
                  "queued_at = NULL",
                  "started_at = NULL",
                  "ended_at = NULL",
                  "next_retry_at = NULL",
                  "last_heartbeat_at = NULL",
                  "hostname = NULL",
                  "pid = NULL"));
    }
    if (change.maxTries() != null) {
      sets.add("max_tries = :max_tries");
    }
    String sql =
        "UPDATE task_instance SET "
            + String.join(", ", sets)
            + " WHERE run_id = :run AND task_id = :task AND state = :from"
            + (change.expectedVersion() != null ? " AND version = :version" : "");
    Handle h = handle; // the caller owns the transaction
    Update update =
        h.createUpdate(sql)
            .bind("to", to.dbName())
            .bind("at", change.at())
            .bind("run", change.runId())
            .bind("task", change.taskId())
            .bind("from", change.expectedState().dbName());
    bindIfUsed(update, sql, "hostname", change.hostname(), String.class);
    bindIfUsed(update, sql, "pid", change.pid(), Long.class);
    bindIfUsed(update, sql, "next_retry", change.nextRetryAt(), Instant.class);
    bindIfUsed(update, sql, "max_tries", change.maxTries(), Integer.class);
    bindIfUsed(update, sql, "version", change.expectedVersion(), Long.class);
    if (update.execute() != 1) {
      return false;
    }
    h.createUpdate(
            "INSERT INTO task_event (run_id, task_id, try_number, from_state, to_state, at,"
                + " actor, reason) SELECT run_id, task_id, try_number, :from, :to, :at,"
                + " :actor, :reason FROM task_instance WHERE run_id = :run AND task_id ="
                + " :task")
        .bind("from", change.expectedState().dbName())
        .bind("to", to.dbName())
        .bind("at", change.at())
        .bind("actor", change.actor().name())
        .bind("reason", change.reason())
        .bind("run", change.runId())
        .bind("task", change.taskId())
        .execute();
    return true;
  }

  /** The brief's shape of {@link #compareAndSetState(TaskStateChange)} for normal moves. */
  public boolean compareAndSetState(
      String runId,
      String taskId,
      TaskState expectedState,
      Long expectedVersion,
      TaskState newState,
      Actor actor,
      String reason,
      Instant at) {
    TaskStateChange change =
        TaskStateChange.of(runId, taskId, expectedState, newState, actor, reason, at);
    return compareAndSetState(
        expectedVersion == null ? change : change.expectingVersion(expectedVersion));
  }

  private static void bindIfUsed(
      Update update, String sql, String name, Object value, Class<?> type) {
    if (sql.contains(":" + name)) {
      update.bindByType(name, value, type);
    }
  }

  /**
   * Records that the worker running {@code runId/taskId} is alive. Writes only while the task
   * instance is {@code running} at {@code tryNumber}; returns false otherwise, telling the worker
   * that its try was failed, cleared or superseded and must stop. Does not change {@code version}.
   */
  public boolean heartbeat(String runId, String taskId, int tryNumber, Instant at) {
    return jdbi.inTransaction(
        h ->
            h.createUpdate(
                        "UPDATE task_instance SET last_heartbeat_at = :at WHERE run_id = :run AND"
                            + " task_id = :task AND state = 'running' AND try_number = :try")
                    .bind("at", at)
                    .bind("run", runId)
                    .bind("task", taskId)
                    .bind("try", tryNumber)
                    .execute()
                == 1);
  }

  public Optional<TaskInstance> find(String runId, String taskId) {
    return jdbi.withHandle(h -> find(h, runId, taskId));
  }

  /** The task instances of a run, ordered by task id. */
  public List<TaskInstance> listByRun(String runId) {
    return jdbi.withHandle(h -> listByRun(h, runId));
  }

  /** {@link #listByRun(String)} in the caller's transaction. */
  public static List<TaskInstance> listByRun(Handle h, String runId) {
    return select(h, "run_id = :run ORDER BY task_id")
        .bind("run", runId)
        .map(Rows.TASK_INSTANCE)
        .list();
  }

  /** {@link #find(String, String)} in the caller's transaction. */
  public static Optional<TaskInstance> find(Handle h, String runId, String taskId) {
    return select(h, "run_id = :run AND task_id = :task")
        .bind("run", runId)
        .bind("task", taskId)
        .map(Rows.TASK_INSTANCE)
        .findOne();
  }

  /** The task instances of the given runs (e.g. one page of a DAG's runs), by run then task. */
  public List<TaskInstance> listByRuns(List<String> runIds) {
    if (runIds.isEmpty()) {
      return List.of();
    }
    return list("run_id IN (<runs>) ORDER BY run_id, task_id", q -> q.bindList("runs", runIds));
  }

  /**
   * Task instances in {@code state} across runs, ordered by run and task, at most {@code limit}.
   */
  public List<TaskInstance> listByState(TaskState state, int limit) {
    return list(
        "state = :state ORDER BY run_id, task_id",
        q -> q.bind("state", state.dbName()).setMaxRows(limit));
  }

  /**
   * {@code up_for_retry} task instances whose {@code next_retry_at} is at or before {@code now}.
   */
  public List<TaskInstance> listDueRetries(Instant now, int limit) {
    return list(
        "state = 'up_for_retry' AND next_retry_at <= :now ORDER BY next_retry_at, run_id, task_id",
        q -> q.bind("now", now).setMaxRows(limit));
  }

  /** {@code running} task instances whose last heartbeat is before {@code cutoff}: zombies. */
  public List<TaskInstance> listRunningWithHeartbeatBefore(Instant cutoff, int limit) {
    return list(
        "state = 'running' AND last_heartbeat_at < :cutoff"
            + " ORDER BY last_heartbeat_at, run_id, task_id",
        q -> q.bind("cutoff", cutoff).setMaxRows(limit));
  }

  /** The task instances where {@code whereAndOrder} holds, with what {@code bind} adds. */
  private List<TaskInstance> list(String whereAndOrder, UnaryOperator<Query> bind) {
    return jdbi.withHandle(
        h -> bind.apply(select(h, whereAndOrder)).map(Rows.TASK_INSTANCE).list());
  }

  private static Query select(Handle h, String whereAndOrder) {
    return h.createQuery(
        "SELECT " + Rows.TASK_INSTANCE_COLUMNS + " FROM task_instance WHERE " + whereAndOrder);
  }

  /** How many task instances are in {@code state}, across runs. */
  public int countByState(TaskState state) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM task_instance WHERE state = :state")
                .bind("state", state.dbName())
                .mapTo(Integer.class)
                .one());
  }

  /** The state history of one task instance, oldest first: why it is in its state. */
  public List<TaskEvent> events(String runId, String taskId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + Rows.TASK_EVENT_COLUMNS
                        + " FROM task_event WHERE run_id = :run AND task_id = :task ORDER BY id")
                .bind("run", runId)
                .bind("task", taskId)
                .map(Rows.TASK_EVENT)
                .list());
  }

  /**
   * For each task of a run, the reason recorded with the change that set its current state (tasks
   * whose last change has no reason are absent).
   */
  public Map<String, String> stateReasons(String runId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT e.task_id, e.reason FROM task_event e WHERE e.run_id = :run AND e.id ="
                        + " (SELECT MAX(l.id) FROM task_event l WHERE l.run_id = e.run_id AND"
                        + " l.task_id = e.task_id) AND e.reason IS NOT NULL")
                .bind("run", runId)
                .reduceRows(
                    new java.util.LinkedHashMap<String, String>(),
                    (m, row) -> {
                      m.put(
                          row.getColumn("task_id", String.class),
                          row.getColumn("reason", String.class));
                      return m;
                    }));
  }
}

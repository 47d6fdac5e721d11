package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * DAG runs: idempotent creation (together with their task instances), queries and state
 * compare-and-set. Thread-safe; every method is one transaction.
 */
public final class DagRunDao {

  private final Jdbi jdbi;

  public DagRunDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * Creates the run in state {@code queued}, its task instances in state {@code none} (version 0,
   * try 0) and one creation event per task instance, atomically. Idempotent: if a run for the same
   * (dag, logical time, run type) exists, nothing is written and that run is returned with {@code
   * created = false}; under concurrent calls exactly one creates it.
   */
  public CreatedRun createRun(NewDagRun run, Actor actor) {
    try {
      DagRun created = jdbi.inTransaction(h -> insert(h, run, actor));
      return new CreatedRun(created, true);
    } catch (RuntimeException e) {
      if (!Jdbis.isUniqueViolation(e)) {
        throw e;
      }
      DagRun existing =
          find(run.dagId(), run.logicalTime(), run.runType())
              .orElseThrow(() -> e); // a unique violation without a row: not ours to hide
      return new CreatedRun(existing, false);
    }
  }

  private static DagRun insert(Handle h, NewDagRun run, Actor actor) {
    String runId = run.runId();
    h.createUpdate(
            "INSERT INTO dag_run (run_id, dag_id, logical_time, run_type, state, conf,"
                + " backfill_id, queued_at) VALUES (:run_id, :dag_id, :logical_time, :run_type,"
                + " :state, :conf, :backfill_id, :queued_at)")
        .bind("run_id", runId)
        .bind("dag_id", run.dagId())
        .bind("logical_time", run.logicalTime())
        .bind("run_type", run.runType().dbName())
        .bind("state", DagRunState.QUEUED.dbName())
        .bind("conf", run.conf())
        .bind("backfill_id", run.backfillId())
        .bind("queued_at", run.queuedAt())
        .execute();
    if (!run.tasks().isEmpty()) {
      PreparedBatch tasks =
          h.prepareBatch(
              "INSERT INTO task_instance (run_id, task_id, state, try_number, max_tries, executor,"
                  + " version) VALUES (:run_id, :task_id, :state, 0, :max_tries, :executor, 0)");
      PreparedBatch events =
          h.prepareBatch(
              "INSERT INTO task_event (run_id, task_id, try_number, from_state, to_state, at,"
                  + " actor, reason) VALUES (:run_id, :task_id, 0, NULL, :state, :at, :actor,"
                  + " :reason)");
      for (NewDagRun.Task t : run.tasks()) {
        tasks
            .bind("run_id", runId)
            .bind("task_id", t.taskId())
            .bind("state", TaskState.NONE.dbName())
            .bind("max_tries", t.maxTries())
            .bind("executor", t.executor())
            .add();
        events
            .bind("run_id", runId)
            .bind("task_id", t.taskId())
            .bind("state", TaskState.NONE.dbName())
            .bind("at", run.queuedAt())
            .bind("actor", actor.name())
            .bind("reason", "created with " + run.runType().dbName() + " run " + runId)
            .add();
      }
      tasks.execute();
      events.execute();
    }
    return find(h, runId).orElseThrow();
  }

  public Optional<DagRun> find(String runId) {
    return jdbi.withHandle(h -> find(h, runId));
  }

  private static Optional<DagRun> find(Handle h, String runId) {
    return h.createQuery("SELECT " + Rows.DAG_RUN_COLUMNS + " FROM dag_run WHERE run_id = :id")
        .bind("id", runId)
        .map(Rows.DAG_RUN)
        .findOne();
  }

  public Optional<DagRun> find(String dagId, Instant logicalTime, RunType runType) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + Rows.DAG_RUN_COLUMNS
                        + " FROM dag_run WHERE dag_id = :dag AND logical_time = :t"
                        + " AND run_type = :type")
                .bind("dag", dagId)
                .bind("t", logicalTime)
                .bind("type", runType.dbName())
                .map(Rows.DAG_RUN)
                .findOne());
  }

  /** Runs of a DAG, newest logical time first, at most {@code limit}. */
  public List<DagRun> list(String dagId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + Rows.DAG_RUN_COLUMNS
                        + " FROM dag_run WHERE dag_id = :dag"
                        + " ORDER BY logical_time DESC, run_id DESC")
                .bind("dag", dagId)
                .setMaxRows(limit)
                .map(Rows.DAG_RUN)
                .list());
  }

  /** The runs a backfill created, oldest logical time first. */
  public List<DagRun> listByBackfill(long backfillId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + Rows.DAG_RUN_COLUMNS
                        + " FROM dag_run WHERE backfill_id = :id ORDER BY logical_time")
                .bind("id", backfillId)
                .map(Rows.DAG_RUN)
                .list());
  }

  /** Runs in {@code state} across all DAGs, oldest logical time first, at most {@code limit}. */
  public List<DagRun> listByState(DagRunState state, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + Rows.DAG_RUN_COLUMNS
                        + " FROM dag_run WHERE state = :state ORDER BY logical_time, run_id")
                .bind("state", state.dbName())
                .setMaxRows(limit)
                .map(Rows.DAG_RUN)
                .list());
  }

  /** How many runs of {@code dagId} are in {@code state} (e.g. running, for max_active_runs). */
  public int count(String dagId, DagRunState state) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM dag_run WHERE dag_id = :dag AND state = :state")
                .bind("dag", dagId)
                .bind("state", state.dbName())
                .mapTo(Integer.class)
                .one());
  }

  /**
   * How many runs of {@code dagId} that are not part of a backfill are in {@code state}: what the
   * DAG's own {@code max_active_runs} limits (a backfill has its own limit, so it never starves
   * scheduled runs, nor they it).
   */
  public int countOutsideBackfills(String dagId, DagRunState state) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM dag_run WHERE dag_id = :dag AND state = :state"
                        + " AND backfill_id IS NULL")
                .bind("dag", dagId)
                .bind("state", state.dbName())
                .mapTo(Integer.class)
                .one());
  }

  /**
   * How many runs of {@code dagId} of {@code type}, not part of a backfill, are in {@code state}:
   * the queued manual runs that {@code max_queued_runs} bounds, the scheduled runs that the
   * schedule may have waiting.
   */
  public int countOutsideBackfills(String dagId, DagRunState state, RunType type) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM dag_run WHERE dag_id = :dag AND state = :state"
                        + " AND run_type = :type AND backfill_id IS NULL")
                .bind("dag", dagId)
                .bind("state", state.dbName())
                .bind("type", type.dbName())
                .mapTo(Integer.class)
                .one());
  }

  /**
   * The type of the run of {@code dagId} outside backfills that started last, if any: whose turn
   * the next admission is when both kinds wait.
   */
  public Optional<RunType> lastStartedType(String dagId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT run_type FROM dag_run WHERE dag_id = :dag AND backfill_id IS NULL"
                        + " AND started_at IS NOT NULL ORDER BY started_at DESC, run_id DESC")
                .bind("dag", dagId)
                .setMaxRows(1)
                .mapTo(String.class)
                .findFirst()
                .map(RunType::fromDbName));
  }

  /**
   * Moves a run from {@code expected} to {@code next} only if it is in {@code expected} now;
   * records {@code started_at} on running and {@code ended_at} on success/failed/canceled (a
   * re-queue clears both). Returns whether this call won.
   *
   * @throws IllegalStateException if {@code expected -> next} is not a legal move
   */
  public boolean compareAndSetState(
      String runId, DagRunState expected, DagRunState next, Instant at) {
    return jdbi.inTransaction(h -> compareAndSetState(h, runId, expected, next, at));
  }

  /**
   * {@link #compareAndSetState(String, DagRunState, DagRunState, Instant)} in the caller's
   * transaction.
   */
  public static boolean compareAndSetState(
      Handle handle, String runId, DagRunState expected, DagRunState next, Instant at) {
    if (!expected.canMoveTo(next)) {
      throw new IllegalStateException(
          "DAG run " + runId + " cannot move from " + expected + " to " + next);
    }
    String times =
        switch (next) {
          case RUNNING -> ", started_at = :at";
          case SUCCESS, FAILED, CANCELED -> ", ended_at = :at";
          case QUEUED -> ", queued_at = :at, started_at = NULL, ended_at = NULL";
        };
    return handle
            .createUpdate(
                "UPDATE dag_run SET state = :next"
                    + times
                    + " WHERE run_id = :id AND state = :expected")
            .bind("next", next.dbName())
            .bind("at", at)
            .bind("id", runId)
            .bind("expected", expected.dbName())
            .execute()
        == 1;
  }

  /**
   * Ends a running run as {@code end} (success or failed) only if it is running and none of its
   * task instances is unfinished at commit time, so that a clear committed after the caller looked
   * at the task states wins over the end of the run. Returns whether the run ended.
   */
  public boolean finishIfAllTasksDone(String runId, DagRunState end, Instant at) {
    if (!end.isTerminal()) {
      throw new IllegalArgumentException("a run ends as success or failed, not " + end);
    }
    return jdbi.inTransaction(
        h ->
            h.createUpdate(
                        "UPDATE dag_run SET state = :end, ended_at = :at WHERE run_id = :id AND"
                            + " state = 'running' AND NOT EXISTS (SELECT 1 FROM task_instance t"
                            + " WHERE t.run_id = :id AND t.state IN (<unfinished>))")
                    .bind("end", end.dbName())
                    .bind("at", at)
                    .bind("id", runId)
                    .bindList(
                        "unfinished",
                        TaskState.UNFINISHED.stream().map(TaskState::dbName).sorted().toList())
                    .execute()
                == 1);
  }

  /** The newest logical time of the runs of {@code dagId} of {@code runType}, if any. */
  public Optional<Instant> latestLogicalTime(String dagId, RunType runType) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT MAX(logical_time) FROM dag_run WHERE dag_id = :dag AND run_type = :type")
                .bind("dag", dagId)
                .bind("type", runType.dbName())
                .mapTo(Instant.class)
                .findOne());
  }
}

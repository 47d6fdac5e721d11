package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.backfill.BackfillState;
import dev.ticklake.orchestrator.core.state.DagRunState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The {@code backfill} table, plus the queries over {@code dag_run.backfill_id} that the backfill
 * scheduling needs. Every state or cursor change is a compare-and-set, so two schedulers (or a
 * scheduler and a cancel through the API) cannot both win. Thread-safe; every method is one
 * transaction.
 */
public final class BackfillDao {

  private static final String COLUMNS =
      "id, dag_id, from_time, to_time, max_active_runs, state, conf, planned_runs, skipped_runs,"
          + " next_logical_time, created_by, created_at, ended_at";

  private static final RowMapper<Backfill> BACKFILL =
      (rs, ctx) ->
          new Backfill(
              rs.getLong("id"),
              rs.getString("dag_id"),
              Rows.instant(rs, "from_time"),
              Rows.instant(rs, "to_time"),
              rs.getInt("max_active_runs"),
              BackfillState.fromDbName(rs.getString("state")),
              rs.getString("conf"),
              rs.getInt("planned_runs"),
              rs.getInt("skipped_runs"),
              Rows.instant(rs, "next_logical_time"),
              rs.getString("created_by"),
              Rows.instant(rs, "created_at"),
              Rows.instant(rs, "ended_at"));

  private final Jdbi jdbi;

  public BackfillDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /** Inserts the backfill in state {@code queued}, its cursor on the first logical time. */
  public Backfill create(NewBackfill b) {
    return jdbi.inTransaction(
        h -> {
          long id =
              h.createUpdate(
                      "INSERT INTO backfill (dag_id, from_time, to_time, max_active_runs, state,"
                          + " conf, planned_runs, skipped_runs, next_logical_time, created_by,"
                          + " created_at) VALUES (:dag, :from, :to, :max, :state, :conf, :planned,"
                          + " 0, :next, :by, :at)")
                  .bind("dag", b.dagId())
                  .bind("from", b.from())
                  .bind("to", b.to())
                  .bind("max", b.maxActiveRuns())
                  .bind("state", BackfillState.QUEUED.dbName())
                  .bind("conf", b.conf())
                  .bind("planned", b.plannedRuns())
                  .bind("next", b.firstLogicalTime())
                  .bind("by", b.createdBy().name())
                  .bind("at", b.createdAt())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          return h.createQuery("SELECT " + COLUMNS + " FROM backfill WHERE id = :id")
              .bind("id", id)
              .map(BACKFILL)
              .one();
        });
  }

  public Optional<Backfill> find(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM backfill WHERE id = :id")
                .bind("id", id)
                .map(BACKFILL)
                .findOne());
  }

  /** Backfills, newest first, of one DAG when {@code dagId} is present; at most {@code limit}. */
  public List<Backfill> list(Optional<String> dagId, int limit) {
    return jdbi.withHandle(
        h -> {
          var query =
              h.createQuery(
                  "SELECT "
                      + COLUMNS
                      + " FROM backfill"
                      + (dagId.isPresent() ? " WHERE dag_id = :dag" : "")
                      + " ORDER BY id DESC");
          dagId.ifPresent(d -> query.bind("dag", d));
          return query.setMaxRows(limit).map(BACKFILL).list();
        });
  }

  /** Backfills that are not over ({@code queued} or {@code running}), oldest first. */
  public List<Backfill> listUnfinished() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM backfill WHERE state IN ('queued', 'running') ORDER BY id")
                .map(BACKFILL)
                .list());
  }

  /**
   * Moves a backfill from {@code expected} to {@code next} if it is in {@code expected} now; a
   * terminal state records {@code ended_at} and clears the cursor (no run is created afterwards).
   * Returns whether this call won.
   *
   * @throws IllegalStateException if the move is not legal
   */
  public boolean compareAndSetState(
      long id, BackfillState expected, BackfillState next, Instant at) {
    if (!expected.canMoveTo(next)) {
      throw new IllegalStateException(
          "backfill " + id + " cannot move from " + expected + " to " + next);
    }
    String end = next.isTerminal() ? ", ended_at = :at, next_logical_time = NULL" : "";
    return jdbi.withHandle(
        h -> {
          var update =
              h.createUpdate(
                      "UPDATE backfill SET state = :next"
                          + end
                          + " WHERE id = :id AND state = :expected")
                  .bind("next", next.dbName())
                  .bind("id", id)
                  .bind("expected", expected.dbName());
          if (next.isTerminal()) {
            update.bind("at", at);
          }
          return update.execute() == 1;
        });
  }

  /**
   * Moves the cursor of an unfinished backfill from {@code current} to {@code next} (null: every
   * run is created), counting one skipped run when {@code skipped}. Returns whether this call won
   * (false if another scheduler moved it first or the backfill ended).
   */
  public boolean advance(long id, Instant current, Instant next, boolean skipped) {
    String set = next == null ? "next_logical_time = NULL" : "next_logical_time = :next";
    String skip = skipped ? ", skipped_runs = skipped_runs + 1" : "";
    return jdbi.withHandle(
        h -> {
          var update =
              h.createUpdate(
                      "UPDATE backfill SET "
                          + set
                          + skip
                          + " WHERE id = :id AND next_logical_time = :current"
                          + " AND state IN ('queued', 'running')")
                  .bind("id", id)
                  .bind("current", current);
          if (next != null) {
            update.bind("next", next);
          }
          return update.execute() == 1;
        });
  }

  /** How many runs of the backfill are in each state (states without runs are absent). */
  public Map<DagRunState, Integer> runCounts(long id) {
    Map<DagRunState, Integer> counts = new EnumMap<>(DagRunState.class);
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT state, COUNT(*) AS n FROM dag_run WHERE backfill_id = :id GROUP BY"
                        + " state")
                .bind("id", id)
                .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getInt("n")))
                .forEach(e -> counts.put(DagRunState.fromDbName(e.getKey()), e.getValue())));
    return counts;
  }

  /** Runs of the backfill that are queued or running: what its max_active_runs limits. */
  public int activeRuns(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM dag_run WHERE backfill_id = :id"
                        + " AND state IN ('queued', 'running')")
                .bind("id", id)
                .mapTo(Integer.class)
                .one());
  }

  /** Unfinished backfills of {@code dagId} whose range overlaps [{@code from}, {@code to}]. */
  public List<Backfill> unfinishedOverlapping(String dagId, Instant from, Instant to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM backfill WHERE dag_id = :dag AND state IN ('queued', 'running')"
                        + " AND from_time <= :to AND to_time >= :from ORDER BY id")
                .bind("dag", dagId)
                .bind("from", from)
                .bind("to", to)
                .map(BACKFILL)
                .list());
  }
}

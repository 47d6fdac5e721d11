package dev.ticklake.orchestrator.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Pipeline metrics from the orchestrator database, as {@link RowSet}s the Grafana API and the
 * Infinity endpoints serve like any table: DAG runs and task tries with their states and durations,
 * and scheduler heartbeats. Read-only; each call is one query, bounded by {@code maxRows}.
 * Thread-safe.
 */
public final class PipelineStats {
  public static final List<String> RUN_COLUMNS =
      List.of("time", "dag_id", "run_id", "state", "duration_seconds");
  public static final List<String> TASK_COLUMNS =
      List.of("time", "dag_id", "task_id", "run_id", "state", "try_number", "duration_seconds");
  public static final List<String> HEARTBEAT_COLUMNS =
      List.of("scheduler_id", "host", "heartbeat_at", "age_s");

  private final Jdbi jdbi;
  private final int maxRows;

  public PipelineStats(Jdbi jdbi, int maxRows) {
    this.jdbi = jdbi;
    this.maxRows = maxRows;
  }

  /** The DAG ids the database knows, sorted. */
  public List<String> dagIds() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT dag_id FROM dag ORDER BY dag_id").mapTo(String.class).list());
  }

  /**
   * The given DAG ids, checked against the database; 400 naming the first unknown one and the known
   * ones. Empty in, empty out (meaning: every DAG).
   */
  public Set<String> requireDags(java.util.Collection<String> asked) {
    if (asked.isEmpty()) {
      return Set.of();
    }
    List<String> known = dagIds();
    for (String d : asked) {
      if (!known.contains(d)) {
        throw ServingRequestException.badRequest(
            "unknown DAG '" + d + "'; known DAGs: " + String.join(", ", known));
      }
    }
    return new java.util.LinkedHashSet<>(asked);
  }

  /**
   * Runs queued in {@code [from, to]} (of {@code dags}, all when empty), oldest first; time is the
   * end (or start, or queue time while unfinished), duration null until the run ends.
   */
  public RowSet runs(Instant from, Instant to, Set<String> dags) {
    List<Object[]> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT dag_id, run_id, state, queued_at, started_at, ended_at"
                            + " FROM dag_run WHERE queued_at >= :from AND queued_at <= :to"
                            + " ORDER BY queued_at, run_id")
                    .bind("from", from)
                    .bind("to", to)
                    .setMaxRows(maxRows)
                    .map(
                        (rs, ctx) -> {
                          Instant queued =
                              ctx.findColumnMapperFor(Instant.class)
                                  .orElseThrow()
                                  .map(rs, "queued_at", ctx);
                          Instant started =
                              ctx.findColumnMapperFor(Instant.class)
                                  .orElseThrow()
                                  .map(rs, "started_at", ctx);
                          Instant ended =
                              ctx.findColumnMapperFor(Instant.class)
                                  .orElseThrow()
                                  .map(rs, "ended_at", ctx);
                          return new Object[] {
                            ended != null ? ended : started != null ? started : queued,
                            rs.getString("dag_id"),
                            rs.getString("run_id"),
                            rs.getString("state"),
                            seconds(started, ended)
                          };
                        })
                    .list());
    return new RowSet(0, RUN_COLUMNS, filter(rows, 1, dags));
  }

  /** Task tries whose run was queued in {@code [from, to]}, like {@link #runs}. */
  public RowSet tasks(Instant from, Instant to, Set<String> dags) {
    List<Object[]> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT r.dag_id, t.task_id, t.run_id, t.state, t.try_number,"
                            + " t.queued_at, t.started_at, t.ended_at, r.queued_at AS run_queued_at"
                            + " FROM task_instance t JOIN dag_run r ON r.run_id = t.run_id"
                            + " WHERE r.queued_at >= :from AND r.queued_at <= :to"
                            + " ORDER BY r.queued_at, t.run_id, t.task_id")
                    .bind("from", from)
                    .bind("to", to)
                    .setMaxRows(maxRows)
                    .map(
                        (rs, ctx) -> {
                          var instants = ctx.findColumnMapperFor(Instant.class).orElseThrow();
                          Instant started = instants.map(rs, "started_at", ctx);
                          Instant ended = instants.map(rs, "ended_at", ctx);
                          Instant queued = instants.map(rs, "run_queued_at", ctx);
                          return new Object[] {
                            ended != null ? ended : started != null ? started : queued,
                            rs.getString("dag_id"),
                            rs.getString("task_id"),
                            rs.getString("run_id"),
                            rs.getString("state"),
                            rs.getInt("try_number"),
                            seconds(started, ended)
                          };
                        })
                    .list());
    return new RowSet(0, TASK_COLUMNS, filter(rows, 1, dags));
  }

  /** Every scheduler that ever beat, with the age of its last heartbeat at {@code now}. */
  public RowSet heartbeats(Instant now) {
    List<Object[]> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT scheduler_id, host, heartbeat_at FROM scheduler_heartbeat"
                            + " ORDER BY scheduler_id")
                    .setMaxRows(maxRows)
                    .map(
                        (rs, ctx) -> {
                          Instant at =
                              ctx.findColumnMapperFor(Instant.class)
                                  .orElseThrow()
                                  .map(rs, "heartbeat_at", ctx);
                          return new Object[] {
                            rs.getString("scheduler_id"), rs.getString("host"), at, seconds(at, now)
                          };
                        })
                    .list());
    return new RowSet(0, HEARTBEAT_COLUMNS, rows);
  }

  private static List<Object[]> filter(List<Object[]> rows, int dagColumn, Set<String> dags) {
    if (dags.isEmpty()) {
      return rows;
    }
    List<Object[]> kept = new ArrayList<>();
    for (Object[] r : rows) {
      if (dags.contains(r[dagColumn])) {
        kept.add(r);
      }
    }
    return kept;
  }

  private static Double seconds(Instant start, Instant end) {
    return start == null || end == null ? null : Duration.between(start, end).toNanos() / 1e9;
  }
}

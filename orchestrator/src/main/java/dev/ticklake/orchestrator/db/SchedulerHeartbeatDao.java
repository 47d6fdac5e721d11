package dev.ticklake.orchestrator.db;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Scheduler liveness: each scheduler upserts its row periodically; the others (and health checks)
 * tell live schedulers from dead ones by the age of {@code heartbeat_at}. Thread-safe.
 */
public final class SchedulerHeartbeatDao {

  private static final RowMapper<SchedulerHeartbeat> ROW =
      (rs, ctx) ->
          new SchedulerHeartbeat(
              rs.getString("scheduler_id"),
              rs.getString("host"),
              rs.getLong("pid"),
              Rows.instant(rs, "heartbeat_at"));

  private final Jdbi jdbi;

  public SchedulerHeartbeatDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /** Records that {@code schedulerId} is alive at {@code at}; idempotent. */
  public void beat(String schedulerId, String host, long pid, Instant at) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE scheduler_heartbeat SET host = :host, pid = :pid, heartbeat_at = :at"
                          + " WHERE scheduler_id = :id")
                  .bind("host", host)
                  .bind("pid", pid)
                  .bind("at", at)
                  .bind("id", schedulerId)
                  .execute();
          if (updated == 0) {
            h.createUpdate(
                    "INSERT INTO scheduler_heartbeat (scheduler_id, host, pid, heartbeat_at)"
                        + " VALUES (:id, :host, :pid, :at)")
                .bind("id", schedulerId)
                .bind("host", host)
                .bind("pid", pid)
                .bind("at", at)
                .execute();
          }
        });
  }

  /** Schedulers whose last heartbeat is at or after {@code cutoff}, by id. */
  public List<SchedulerHeartbeat> aliveSince(Instant cutoff) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT scheduler_id, host, pid, heartbeat_at FROM scheduler_heartbeat"
                        + " WHERE heartbeat_at >= :cutoff ORDER BY scheduler_id")
                .bind("cutoff", cutoff)
                .map(ROW)
                .list());
  }

  /** Every scheduler that ever beat, by id. */
  public List<SchedulerHeartbeat> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT scheduler_id, host, pid, heartbeat_at FROM scheduler_heartbeat"
                        + " ORDER BY scheduler_id")
                .map(ROW)
                .list());
  }
}

package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.mapper.RowMapper;

/** Row mappers for the DAOs; column lists are kept next to them so SELECTs stay in sync. */
final class Rows {

  static final String DAG_RUN_COLUMNS =
      "run_id, dag_id, logical_time, run_type, state, conf, backfill_id, queued_at, started_at,"
          + " ended_at";

  static final String TASK_INSTANCE_COLUMNS =
      "run_id, task_id, state, try_number, max_tries, executor, hostname, pid, queued_at,"
          + " started_at, ended_at, next_retry_at, last_heartbeat_at, version";

  static final String TASK_EVENT_COLUMNS =
      "id, run_id, task_id, try_number, from_state, to_state, at, actor, reason";

  static final RowMapper<DagRun> DAG_RUN =
      (rs, ctx) ->
          new DagRun(
              rs.getString("run_id"),
              rs.getString("dag_id"),
              instant(rs, "logical_time"),
              RunType.fromDbName(rs.getString("run_type")),
              DagRunState.fromDbName(rs.getString("state")),
              rs.getString("conf"),
              nullableLong(rs, "backfill_id"),
              instant(rs, "queued_at"),
              instant(rs, "started_at"),
              instant(rs, "ended_at"));

  static final RowMapper<TaskInstance> TASK_INSTANCE =
      (rs, ctx) ->
          new TaskInstance(
              rs.getString("run_id"),
              rs.getString("task_id"),
              TaskState.fromDbName(rs.getString("state")),
              rs.getInt("try_number"),
              rs.getInt("max_tries"),
              rs.getString("executor"),
              rs.getString("hostname"),
              nullableLong(rs, "pid"),
              instant(rs, "queued_at"),
              instant(rs, "started_at"),
              instant(rs, "ended_at"),
              instant(rs, "next_retry_at"),
              instant(rs, "last_heartbeat_at"),
              rs.getLong("version"));

  static final RowMapper<TaskEvent> TASK_EVENT =
      (rs, ctx) -> {
        String from = rs.getString("from_state");
        return new TaskEvent(
            rs.getLong("id"),
            rs.getString("run_id"),
            rs.getString("task_id"),
            rs.getInt("try_number"),
            from == null ? null : TaskState.fromDbName(from),
            TaskState.fromDbName(rs.getString("to_state")),
            instant(rs, "at"),
            rs.getString("actor"),
            rs.getString("reason"));
      };

  private Rows() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}

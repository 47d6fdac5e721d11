package dev.ticklake.orchestrator.db;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code dag} table: which DAGs are loaded and whether they are paused. Thread-safe. */
public final class DagDao {

  private static final RowMapper<DagRecord> DAG =
      (rs, ctx) ->
          new DagRecord(
              rs.getString("dag_id"),
              rs.getBoolean("paused"),
              rs.getString("file"),
              rs.getString("definition_hash"),
              Rows.instant(rs, "loaded_at"));

  private final Jdbi jdbi;

  public DagDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * Records that {@code dag.dagId()} was loaded from {@code file} with {@code hash}. The first
   * time, {@code paused} comes from the DAG file; afterwards the stored value is kept, so pausing
   * through the API survives a reload (Airflow's "paused upon creation"). Returns the stored row.
   */
  public DagRecord upsert(String dagId, boolean pausedIfNew, String file, String hash, Instant at) {
    return jdbi.inTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE dag SET file = :file, definition_hash = :hash, loaded_at = :at"
                          + " WHERE dag_id = :id")
                  .bind("file", file)
                  .bind("hash", hash)
                  .bind("at", at)
                  .bind("id", dagId)
                  .execute();
          if (updated == 0) {
            h.createUpdate(
                    "INSERT INTO dag (dag_id, paused, file, definition_hash, loaded_at)"
                        + " VALUES (:id, :paused, :file, :hash, :at)")
                .bind("id", dagId)
                .bind("paused", pausedIfNew)
                .bind("file", file)
                .bind("hash", hash)
                .bind("at", at)
                .execute();
          }
          return h.createQuery("SELECT * FROM dag WHERE dag_id = :id")
              .bind("id", dagId)
              .map(DAG)
              .one();
        });
  }

  /** Pauses or unpauses; returns false if the DAG is unknown. */
  public boolean setPaused(String dagId, boolean paused) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("UPDATE dag SET paused = :paused WHERE dag_id = :id")
                    .bind("paused", paused)
                    .bind("id", dagId)
                    .execute()
                == 1);
  }

  public Optional<DagRecord> find(String dagId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM dag WHERE dag_id = :id")
                .bind("id", dagId)
                .map(DAG)
                .findOne());
  }

  /** Every DAG, by id. */
  public List<DagRecord> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dag ORDER BY dag_id").map(DAG).list());
  }
}

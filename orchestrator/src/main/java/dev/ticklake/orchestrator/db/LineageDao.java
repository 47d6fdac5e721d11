package dev.ticklake.orchestrator.db;

import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The lineage tables: {@code lineage_run} (one row per recorded try), {@code
 * lineage_dataset_version} (its datasets and versions) and {@code lineage_edge} (the graph).
 * Thread-safe. Recording a try twice (same run, task and try) is a no-op the second time.
 */
public final class LineageDao {

  private final Jdbi jdbi;

  public LineageDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /** A try of a task instance of a DAG run. */
  public record TryKey(String dagId, String runId, String taskId, int tryNumber) {
    public TryKey {
      Objects.requireNonNull(dagId, "dagId");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(taskId, "taskId");
    }

    /** The OpenLineage job name: {@code <dag_id>.<task_id>}. */
    public String jobName() {
      return dagId + "." + taskId;
    }
  }

  /** The recorded lineage of one try. */
  public record TryRecord(
      TryKey key, String outcome, String olRunId, Instant recordedAt, TaskLineage lineage) {}

  /** A job-dataset edge of the graph. */
  public record Edge(String dagId, String taskId, boolean input, Dataset dataset) {}

  /**
   * Records what one try read and wrote, in one transaction, then adds the graph edges it shows.
   * Returns false when this try was recorded before (nothing changed).
   */
  public boolean record(
      TryKey key, String outcome, String olRunId, TaskLineage lineage, Instant at) {
    boolean inserted =
        jdbi.inTransaction(
            h -> {
              int exists =
                  h.createQuery(
                          "SELECT COUNT(*) FROM lineage_run WHERE run_id = :run AND task_id = :task"
                              + " AND try_number = :try")
                      .bind("run", key.runId())
                      .bind("task", key.taskId())
                      .bind("try", key.tryNumber())
                      .mapTo(Integer.class)
                      .one();
              if (exists > 0) {
                return false;
              }
              h.createUpdate(
                      "INSERT INTO lineage_run (run_id, task_id, try_number, dag_id, outcome,"
                          + " ol_run_id, recorded_at) VALUES (:run, :task, :try, :dag, :outcome,"
                          + " :ol, :at)")
                  .bind("run", key.runId())
                  .bind("task", key.taskId())
                  .bind("try", key.tryNumber())
                  .bind("dag", key.dagId())
                  .bind("outcome", outcome)
                  .bind("ol", olRunId)
                  .bind("at", at)
                  .execute();
              insertVersions(h, key, "in", lineage.inputs(), at);
              insertVersions(h, key, "out", lineage.outputs(), at);
              return true;
            });
    if (inserted) {
      addEdges(key, true, lineage.inputs(), at);
      addEdges(key, false, lineage.outputs(), at);
    }
    return inserted;
  }

  private static void insertVersions(
      Handle h, TryKey key, String direction, List<DatasetVersion> versions, Instant at) {
    if (versions.isEmpty()) {
      return;
    }
    var batch =
        h.prepareBatch(
            "INSERT INTO lineage_dataset_version (run_id, task_id, try_number, direction,"
                + " namespace, name, version, recorded_at) VALUES (:run, :task, :try, :dir, :ns,"
                + " :name, :version, :at)");
    for (DatasetVersion v : versions) {
      batch
          .bind("run", key.runId())
          .bind("task", key.taskId())
          .bind("try", key.tryNumber())
          .bind("dir", direction)
          .bind("ns", v.dataset().namespace())
          .bind("name", v.dataset().name())
          .bind("version", v.version())
          .bind("at", at)
          .add();
    }
    batch.execute();
  }

  /** Inserts the edges not yet known; a concurrent insert of the same edge is fine. */
  private void addEdges(TryKey key, boolean input, List<DatasetVersion> versions, Instant at) {
    for (Dataset d : TaskLineage.byDataset(versions).keySet()) {
      try {
        jdbi.useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO lineage_edge (dag_id, task_id, direction, namespace, name,"
                            + " first_seen_at) SELECT :dag, :task, :dir, :ns, :name, :at"
                            + " WHERE NOT EXISTS (SELECT 1 FROM lineage_edge WHERE dag_id = :dag"
                            + " AND task_id = :task AND direction = :dir AND namespace = :ns"
                            + " AND name = :name)")
                    .bind("dag", key.dagId())
                    .bind("task", key.taskId())
                    .bind("dir", input ? "in" : "out")
                    .bind("ns", d.namespace())
                    .bind("name", d.name())
                    .bind("at", at)
                    .execute());
      } catch (RuntimeException e) {
        if (!isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  /** Every edge of the graph, oldest first. */
  public List<Edge> edges() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT dag_id, task_id, direction, namespace, name FROM lineage_edge ORDER BY"
                        + " id")
                .map(
                    (rs, ctx) ->
                        new Edge(
                            rs.getString("dag_id"),
                            rs.getString("task_id"),
                            "in".equals(rs.getString("direction")),
                            new Dataset(rs.getString("namespace"), rs.getString("name"))))
                .list());
  }

  /**
   * The try that wrote {@code version} of {@code dataset} (the latest such record if several), or
   * empty when none is recorded.
   */
  public Optional<TryRecord> producer(Dataset dataset, String version) {
    Optional<TryKey> key =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT r.dag_id, v.run_id, v.task_id, v.try_number FROM"
                            + " lineage_dataset_version v JOIN lineage_run r ON r.run_id ="
                            + " v.run_id AND r.task_id = v.task_id AND r.try_number ="
                            + " v.try_number WHERE v.direction = 'out' AND v.namespace = :ns AND"
                            + " v.name = :name AND v.version = :version ORDER BY v.id DESC")
                    .bind("ns", dataset.namespace())
                    .bind("name", dataset.name())
                    .bind("version", version)
                    .setMaxRows(1)
                    .map(
                        (rs, ctx) ->
                            new TryKey(
                                rs.getString("dag_id"),
                                rs.getString("run_id"),
                                rs.getString("task_id"),
                                rs.getInt("try_number")))
                    .findFirst());
    return key.flatMap(this::find);
  }

  /** The recorded lineage of one try. */
  public Optional<TryRecord> find(TryKey key) {
    return findTry(key.runId(), key.taskId(), key.tryNumber());
  }

  /** The recorded tries of a DAG run (optionally of one task), by task then try. */
  public List<TryRecord> listByRun(String runId, Optional<String> taskId) {
    List<Object[]> keys =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT task_id, try_number FROM lineage_run WHERE run_id = :run"
                            + (taskId.isPresent() ? " AND task_id = :task" : "")
                            + " ORDER BY recorded_at, task_id, try_number")
                    .bind("run", runId)
                    .bind("task", taskId.orElse(""))
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getInt(2)})
                    .list());
    List<TryRecord> out = new ArrayList<>();
    for (Object[] k : keys) {
      findTry(runId, (String) k[0], (Integer) k[1]).ifPresent(out::add);
    }
    return out;
  }

  private Optional<TryRecord> findTry(String runId, String taskId, int tryNumber) {
    return jdbi.withHandle(
        h -> {
          Optional<TryRecord> head =
              h.createQuery(
                      "SELECT dag_id, outcome, ol_run_id, recorded_at FROM lineage_run WHERE"
                          + " run_id = :run AND task_id = :task AND try_number = :try")
                  .bind("run", runId)
                  .bind("task", taskId)
                  .bind("try", tryNumber)
                  .map(
                      (rs, ctx) ->
                          new TryRecord(
                              new TryKey(rs.getString("dag_id"), runId, taskId, tryNumber),
                              rs.getString("outcome"),
                              rs.getString("ol_run_id"),
                              rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                              TaskLineage.NONE))
                  .findFirst();
          if (head.isEmpty()) {
            return head;
          }
          List<DatasetVersion> in = new ArrayList<>();
          List<DatasetVersion> out = new ArrayList<>();
          h.createQuery(
                  "SELECT direction, namespace, name, version FROM lineage_dataset_version WHERE"
                      + " run_id = :run AND task_id = :task AND try_number = :try ORDER BY id")
              .bind("run", runId)
              .bind("task", taskId)
              .bind("try", tryNumber)
              .map(
                  (rs, ctx) -> {
                    DatasetVersion v =
                        new DatasetVersion(
                            new Dataset(rs.getString("namespace"), rs.getString("name")),
                            rs.getString("version"));
                    ("in".equals(rs.getString("direction")) ? in : out).add(v);
                    return v;
                  })
              .list();
          TryRecord r = head.get();
          return Optional.of(
              new TryRecord(
                  r.key(), r.outcome(), r.olRunId(), r.recordedAt(), new TaskLineage(in, out)));
        });
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}

package dev.ticklake.orchestrator.db;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code task_log} table: the captured log of each try of a task instance. Thread-safe. */
public final class TaskLogDao {

  /** The column holds at most this many characters; longer logs keep their tail. */
  public static final int MAX_CHARS = 1_000_000;

  private final Jdbi jdbi;

  public TaskLogDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /** Appends one chunk of the log of try {@code tryNumber}. */
  public void append(String runId, String taskId, int tryNumber, String content, Instant at) {
    String text =
        content.length() <= MAX_CHARS
            ? content
            : "...(truncated)\n" + content.substring(content.length() - MAX_CHARS + 20);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO task_log (run_id, task_id, try_number, written_at, content)"
                        + " VALUES (:run, :task, :try, :at, :content)")
                .bind("run", runId)
                .bind("task", taskId)
                .bind("try", tryNumber)
                .bind("at", at)
                .bind("content", text)
                .execute());
  }

  /** The log of one try (its chunks in order), or empty when nothing was written for it. */
  public Optional<String> find(String runId, String taskId, int tryNumber) {
    List<String> chunks =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT content FROM task_log WHERE run_id = :run AND task_id = :task"
                            + " AND try_number = :try ORDER BY id")
                    .bind("run", runId)
                    .bind("task", taskId)
                    .bind("try", tryNumber)
                    .mapTo(String.class)
                    .list());
    return chunks.isEmpty() ? Optional.empty() : Optional.of(String.join("", chunks));
  }
}

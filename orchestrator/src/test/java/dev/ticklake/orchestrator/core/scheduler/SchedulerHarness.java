package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.Jdbis;
import dev.ticklake.orchestrator.db.Migrations;
import dev.ticklake.orchestrator.db.TaskInstance;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import dev.ticklake.orchestrator.db.TaskLogDao;
import dev.ticklake.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;

/** A real H2 database and a DAG folder in a temp dir, and schedulers over them. */
final class SchedulerHarness implements AutoCloseable {

  final Path dir;
  final Jdbi jdbi;
  final DagRunDao runs;
  final TaskInstanceDao tasks;
  final TaskLogDao logs;
  final Path dags;
  private final List<Scheduler> started = new ArrayList<>();
  private final JdbcDataSource dataSource;

  SchedulerHarness(Path dir) throws IOException {
    this.dir = dir;
    JdbcDataSource ds = new JdbcDataSource();
    this.dataSource = ds;
    ds.setURL("jdbc:h2:file:" + dir.resolve("db") + ";AUTO_SERVER=FALSE");
    ds.setUser("sa");
    ds.setPassword("");
    Migrations.migrate(ds);
    jdbi = Jdbis.create(ds);
    runs = new DagRunDao(jdbi);
    tasks = new TaskInstanceDao(jdbi);
    logs = new TaskLogDao(jdbi);
    dags = Files.createDirectories(dir.resolve("dags"));
  }

  void dag(String dagId, String yaml) throws IOException {
    Files.writeString(dags.resolve(dagId + ".yml"), "dag_id: " + dagId + "\n" + yaml);
  }

  SchedulerSettings settings() {
    return SchedulerSettings.forTests(dir.resolve("lake").toString(), Optional.of(dags));
  }

  /** A scheduler that is not started (tests drive it with tick()); stopped by close(). */
  Scheduler scheduler() {
    Scheduler s = new Scheduler(jdbi, Pipelines.standard(), settings(), Clock.systemUTC());
    started.add(s);
    return s;
  }

  Scheduler start() {
    Scheduler s = scheduler();
    s.start();
    return s;
  }

  DagRun awaitRunEnd(String runId, Duration timeout) {
    return Await.until(
            timeout,
            "run " + runId + " to end",
            () -> progress(runId),
            p -> p.run().filter(SchedulerHarness::ended).isPresent())
        .run()
        .orElseThrow();
  }

  /** A run and its tasks' states, as a wait for the run's end last saw them. */
  record RunProgress(Optional<DagRun> run, Map<String, TaskState> tasks) {}

  RunProgress progress(String runId) {
    return new RunProgress(runs.find(runId), states(runId));
  }

  static boolean ended(DagRun r) {
    return r.state() == DagRunState.SUCCESS || r.state() == DagRunState.FAILED;
  }

  Map<String, TaskState> states(String runId) {
    return tasks.listByRun(runId).stream()
        .collect(Collectors.toMap(TaskInstance::taskId, TaskInstance::state));
  }

  @Override
  public void close() throws Exception {
    // Stopping waits for the tries still running to record their end, before H2 shuts down.
    for (Scheduler s : started) {
      s.stop();
    }
    // Close the H2 file database now, so that none of its files is still being written while
    // JUnit deletes the temporary directory.
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    }
  }
}

package dev.ticklake.benchmarks;

import com.codahale.metrics.MetricRegistry;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.exec.PipelineOutcome;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.RunnerSettings;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.core.scheduler.SchedulerSettings;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.Actor;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.DagRunDao;
import dev.ticklake.orchestrator.db.Jdbis;
import dev.ticklake.orchestrator.db.Migrations;
import dev.ticklake.orchestrator.db.NewDagRun;
import dev.ticklake.orchestrator.db.RunType;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code scheduler} suite: the real {@link Scheduler} (production loop interval, in-process
 * executor, H2 file database through Dropwizard's connection pool) running DAGs of no-op tasks, so
 * that everything measured is scheduling overhead.
 *
 * <ul>
 *   <li>{@code chain}: 10 tasks in a line, {@code max_active_runs} 4;
 *   <li>{@code wide}: one task, 8 parallel tasks after it, one task joining them; {@code
 *       max_active_runs} 1 (the 8 parallel tasks fit the 8 worker slots, so no task waits for a
 *       slot).
 * </ul>
 *
 * For each DAG, {@code runs} manual runs are created back to back (all queued at once, admitted
 * under {@code max_active_runs}). Reported: the hand-off latency ({@link HandOffLatency}: upstream
 * {@code ended_at} to downstream {@code started_at}, from the recorded timestamps) p50/p95/max, and
 * completed runs per minute (runs / time from their creation to the last run's end).
 */
final class SchedulerBench {
  static final double P95_TARGET_MS = 100;
  static final int WORKERS = 8;

  private final Path workDir;
  private final int runs;
  private final PrintStream out;

  SchedulerBench(Path workDir, int runs, PrintStream out) {
    this.workDir = workDir;
    this.runs = runs;
    this.out = out;
  }

  record Shape(String dagId, String yaml, int maxActiveRuns) {}

  static List<Shape> shapes() {
    StringBuilder chain = new StringBuilder("dag_id: bench_chain\nmax_active_runs: 4\ntasks:\n");
    for (int i = 0; i < 10; i++) {
      chain.append("  - {task_id: t").append(i).append(", pipeline: noop");
      if (i > 0) {
        chain.append(", upstream: [t").append(i - 1).append(']');
      }
      chain.append("}\n");
    }
    StringBuilder wide =
        new StringBuilder(
            "dag_id: bench_wide\nmax_active_runs: 1\ntasks:\n"
                + "  - {task_id: start, pipeline: noop}\n");
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      wide.append("  - {task_id: p").append(i).append(", pipeline: noop, upstream: [start]}\n");
      middle.add("p" + i);
    }
    wide.append("  - {task_id: join, pipeline: noop, upstream: [")
        .append(String.join(", ", middle))
        .append("]}\n");
    return List.of(
        new Shape("bench_chain", chain.toString(), 4), new Shape("bench_wide", wide.toString(), 1));
  }

  /** Runs both DAG shapes; returns the suite's JSON section. {@code table} gets console lines. */
  Map<String, Object> measure(List<String> table) throws Exception {
    Path dags = Files.createDirectories(workDir.resolve("dags"));
    for (Shape s : shapes()) {
      Files.writeString(dags.resolve(s.dagId() + ".yml"), s.yaml());
    }
    ManagedDataSource ds = startDatabase();
    try {
      Migrations.migrate(ds);
      Jdbi jdbi = Jdbis.create(ds);
      Scheduler scheduler = new Scheduler(jdbi, pipelines(), settings(dags), Clock.systemUTC());
      scheduler.start();
      List<Double> all = new ArrayList<>();
      Map<String, Object> byDag = new LinkedHashMap<>();
      try {
        for (Shape s : shapes()) {
          byDag.put(s.dagId(), measureShape(jdbi, scheduler, s, all, table));
        }
      } finally {
        scheduler.stop();
      }
      return summary(byDag, all, table);
    } finally {
      shutDown(ds);
    }
  }

  private ManagedDataSource startDatabase() throws Exception {
    DataSourceFactory db = new DataSourceFactory();
    db.setDriverClass("org.h2.Driver");
    db.setUrl("jdbc:h2:file:" + workDir.resolve("db/ticklake") + ";DB_CLOSE_ON_EXIT=FALSE");
    db.setUser("sa");
    db.setPassword("");
    ManagedDataSource ds = db.build(new MetricRegistry(), "bench-scheduler");
    ds.start();
    return ds;
  }

  private static void shutDown(ManagedDataSource ds) throws Exception {
    try (java.sql.Connection c = ds.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    } catch (java.sql.SQLException e) {
      // already closed
    }
    ds.stop();
  }

  /** The production defaults of ticklake.yml, except more worker slots (see class comment). */
  private SchedulerSettings settings(Path dags) {
    return new SchedulerSettings(
        workDir.resolve("lake").toString(),
        "127.0.0.1:1",
        new RunnerSettings("direct", ""),
        Optional.of(dags),
        false,
        WORKERS,
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10));
  }

  private Map<String, Object> measureShape(
      Jdbi jdbi, Scheduler scheduler, Shape s, List<Double> all, List<String> table)
      throws IOException {
    DagDefinition dag = scheduler.dags().get(s.dagId());
    if (dag == null) {
      throw new IllegalStateException(
          "bench DAG " + s.dagId() + " did not load: " + scheduler.dagLoadErrors());
    }
    Map<String, Object> m = measureDag(jdbi, scheduler, dag, all);
    table.add(
        String.format(
            Locale.ROOT,
            "%-12s %4d runs  hand-off %s  %.0f runs/min",
            s.dagId(),
            runs,
            describe((Percentiles) m.remove("handOffPercentiles")),
            (Double) m.get("runsPerMinute")));
    return m;
  }

  private Map<String, Object> summary(
      Map<String, Object> byDag, List<Double> all, List<String> table) {
    Percentiles overall = Percentiles.of(all);
    Map<String, Object> section = new LinkedHashMap<>();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("runsPerDag", runs);
    config.put("workers", WORKERS);
    config.put("loopInterval", "100ms");
    config.put("database", "H2 file, Dropwizard pool");
    config.put("executor", "in_process");
    section.put("config", config);
    section.put("dags", byDag);
    section.put("handOff", overall.toJson());
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("handOffP95TargetMs", P95_TARGET_MS);
    target.put("met", overall.p95() < P95_TARGET_MS);
    section.put("target", target);
    table.add(
        String.format(
            Locale.ROOT,
            "all hand-offs %s (target p95 < %.0f ms: %s)",
            describe(overall),
            P95_TARGET_MS,
            overall.p95() < P95_TARGET_MS ? "met" : "MISSED"));
    return section;
  }

  private Map<String, Object> measureDag(
      Jdbi jdbi, Scheduler scheduler, DagDefinition dag, List<Double> all) throws IOException {
    DagRunDao runDao = new DagRunDao(jdbi);
    TaskInstanceDao taskDao = new TaskInstanceDao(jdbi);
    List<NewDagRun.Task> tasks =
        dag.tasks().stream()
            .map(
                t ->
                    new NewDagRun.Task(
                        t.taskId(), t.retryPolicy().maxTries(), t.executor().yamlName()))
            .toList();
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    Suite.log(out, "scheduler: %d runs of %s", runs, dag.dagId());
    Instant created = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      NewDagRun run =
          new NewDagRun(
              dag.dagId(), base.plusSeconds(i), RunType.MANUAL, null, null, Instant.now(), tasks);
      ids.add(runDao.createRun(run, Actor.SCHEDULER).run().runId());
    }
    scheduler.wakeUp();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    List<DagRun> done;
    while (true) {
      done = runDao.list(dag.dagId(), runs + 10);
      long ended =
          done.stream()
              .filter(r -> r.state() == DagRunState.SUCCESS || r.state() == DagRunState.FAILED)
              .count();
      if (ended == runs) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            dag.dagId() + ": only " + ended + " of " + runs + " runs ended within 10 minutes");
      }
      try {
        Thread.sleep(20); // polling the database for the runs' end
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    long failed = done.stream().filter(r -> r.state() == DagRunState.FAILED).count();
    if (failed > 0) {
      throw new IllegalStateException(dag.dagId() + ": " + failed + " no-op runs failed");
    }
    Instant lastEnd = done.stream().map(DagRun::endedAt).max(Instant::compareTo).orElseThrow();
    double seconds = Duration.between(created, lastEnd).toNanos() / 1e9;
    List<Double> latencies = new ArrayList<>();
    for (String id : ids) {
      latencies.addAll(HandOffLatency.millis(dag, taskDao.listByRun(id)));
    }
    all.addAll(latencies);
    Percentiles p = Percentiles.of(latencies);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tasks", dag.tasks().size());
    m.put("maxActiveRuns", dag.maxActiveRuns());
    m.put("runs", runs);
    m.put("seconds", Math.round(seconds * 1000) / 1000.0);
    m.put("runsPerMinute", Math.round(runs / seconds * 60 * 10) / 10.0);
    m.put("handOff", p.toJson());
    m.put("handOffPercentiles", p);
    return m;
  }

  static String describe(Percentiles p) {
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)",
        p.p50(),
        p.p95(),
        p.max(),
        p.count());
  }

  /** The TickLake jobs plus {@code noop}, the only pipeline the scheduler suite's DAGs run. */
  static Pipelines pipelines() {
    return Pipelines.standard()
        .register("noop", (options, context) -> PipelineOutcome.of("OK", "noop: nothing to do"));
  }
}

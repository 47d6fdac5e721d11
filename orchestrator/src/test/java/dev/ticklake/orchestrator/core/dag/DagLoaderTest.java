package dev.ticklake.orchestrator.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.retry.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagLoaderTest {

  static final PipelineRegistry PIPELINES =
      PipelineRegistry.of(
          "ingest-bronze",
          "refine-silver",
          "build-gold",
          "build-features",
          "train-model",
          "score",
          "backtest",
          "compact-tables",
          "vacuum-tables");

  private final DagLoader loader = new DagLoader(PIPELINES);

  @TempDir Path tempDir;

  @Test
  void loadsTheShippedMedallionDag() throws IOException {
    DagLoadResult result = loader.load(Optional.empty(), true);

    assertThat(result.errors()).isEmpty();
    assertThat(result.dags())
        .extracting(DagDefinition::dagId)
        .containsExactly("maintenance", "medallion", "training");
    DagDefinition dag = result.dag("medallion").orElseThrow();
    assertThat(dag.description()).isEqualTo("Kafka -> bronze -> silver -> gold, every 5 seconds");
    assertThat(dag.schedule()).isEqualTo(new IntervalSchedule(Duration.ofSeconds(5), "5s"));
    assertThat(dag.startDate()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(dag.catchup()).isFalse();
    assertThat(dag.maxActiveRuns()).isEqualTo(1);
    assertThat(dag.maxQueuedRuns()).isEmpty(); // the service default
    assertThat(dag.paused()).isFalse();
    assertThat(dag.executor()).isEqualTo(ExecutorType.IN_PROCESS);
    assertThat(dag.source()).isEqualTo("classpath:dags/medallion.yml");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("dags/medallion.yml")) {
      assertThat(dag.sourceHash()).isEqualTo(DagFileParser.sha256(in.readAllBytes()));
    }
    RetryPolicy retry = new RetryPolicy(2, Duration.ofSeconds(2), true, Duration.ofMinutes(1));
    Optional<Duration> fiveMinutes = Optional.of(Duration.ofMinutes(5));
    assertThat(dag.tasks())
        .containsExactly(
            new TaskDefinition(
                "ingest_bronze",
                "ingest-bronze",
                Map.of("maxRecordsPerBatch", "500000"),
                List.of(),
                retry,
                fiveMinutes,
                TriggerRule.ALL_SUCCESS,
                ExecutorType.IN_PROCESS),
            new TaskDefinition(
                "refine_silver",
                "refine-silver",
                Map.of(),
                List.of("ingest_bronze"),
                retry,
                fiveMinutes,
                TriggerRule.ALL_SUCCESS,
                ExecutorType.IN_PROCESS),
            new TaskDefinition(
                "build_gold",
                "build-gold",
                Map.of(),
                List.of("refine_silver"),
                retry,
                fiveMinutes,
                TriggerRule.ALL_SUCCESS,
                ExecutorType.IN_PROCESS));
    assertThat(dag.topologicalOrder())
        .extracting(TaskDefinition::taskId)
        .containsExactly("ingest_bronze", "refine_silver", "build_gold");
    assertThat(dag.downstream("ingest_bronze")).containsExactly("refine_silver");
  }

  @Test
  void maxQueuedRunsIsReadFromTheFile() throws IOException {
    Files.writeString(
        tempDir.resolve("q.yml"),
        "dag_id: q\nmax_queued_runs: 3\ntasks:\n  - {task_id: t, pipeline: build-gold}\n");
    DagLoadResult result = loader.load(Optional.of(tempDir), false);
    assertThat(result.errors()).isEmpty();
    assertThat(result.dag("q").orElseThrow().maxQueuedRuns()).contains(3);
  }

  @Test
  void topologicalOrderPutsUpstreamFirstAndKeepsFileOrderAmongEquals() {
    DagDefinition dag =
        loadOne(
                """
            dag_id: diamond
            tasks:
              - {task_id: d, pipeline: build-gold, upstream: [b, c]}
              - {task_id: c, pipeline: refine-silver, upstream: [a]}
              - {task_id: b, pipeline: refine-silver, upstream: [a]}
              - {task_id: a, pipeline: ingest-bronze}
            """)
            .dags()
            .get(0);

    assertThat(dag.topologicalOrder())
        .extracting(TaskDefinition::taskId)
        .containsExactly("a", "c", "b", "d");
    assertThat(dag.schedule()).isEqualTo(new ManualOnly());
  }

  @Test
  void readsEveryScheduleKindAndTaskOverrides() {
    DagDefinition dag =
        loadOne(
                """
            dag_id: all_kinds
            schedule: {datasets: [silver/ticks, gold/bars_1m]}
            executor: subprocess
            default_args: {retries: 1, trigger_rule: all_done}
            tasks:
              - task_id: t
                pipeline: build-gold
                retries: 0
                retry_delay: PT30S
                execution_timeout: 1h
                trigger_rule: one_failed
                executor: in_process
                options: {flag: true, ratio: 0.5, name: x}
              - {task_id: u, pipeline: build-gold, upstream: [t]}
            """)
            .dags()
            .get(0);

    assertThat(dag.schedule())
        .isEqualTo(new DatasetSchedule(List.of("silver/ticks", "gold/bars_1m")));
    TaskDefinition t = dag.task("t").orElseThrow();
    assertThat(t.retryPolicy())
        .isEqualTo(
            new RetryPolicy(0, Duration.ofSeconds(30), false, RetryPolicy.DEFAULT_MAX_RETRY_DELAY));
    assertThat(t.executionTimeout()).contains(Duration.ofHours(1));
    assertThat(t.triggerRule()).isEqualTo(TriggerRule.ONE_FAILED);
    assertThat(t.executor()).isEqualTo(ExecutorType.IN_PROCESS);
    assertThat(t.options())
        .containsExactly(
            Map.entry("flag", "true"), Map.entry("ratio", "0.5"), Map.entry("name", "x"));
    TaskDefinition u = dag.task("u").orElseThrow();
    assertThat(u.retryPolicy().retries()).isEqualTo(1);
    assertThat(u.triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
    assertThat(u.executor()).isEqualTo(ExecutorType.SUBPROCESS);
    assertThat(u.executionTimeout()).isEmpty();

    assertThat(scheduleOf("'*/5 * * * *'").describe()).isEqualTo("*/5 * * * *");
    assertThat(scheduleOf("'@daily'")).isInstanceOf(CronSchedule.class);
    assertThat(scheduleOf("1d")).isEqualTo(new IntervalSchedule(Duration.ofDays(1), "1d"));
    assertThat(scheduleOf("none")).isEqualTo(new ManualOnly());
    assertThat(scheduleOf("null")).isEqualTo(new ManualOnly());
  }

  @Test
  void loadsTheShippedTrainingDag() {
    DagDefinition dag = loader.load(Optional.empty(), true).dag("training").orElseThrow();
    assertThat(dag.schedule()).isEqualTo(new IntervalSchedule(Duration.ofDays(1), "1d"));
    assertThat(dag.tasks())
        .extracting(TaskDefinition::taskId, TaskDefinition::pipeline, TaskDefinition::upstream)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("build_features", "build-features", List.of()),
            org.assertj.core.groups.Tuple.tuple(
                "train_model", "train-model", List.of("build_features")),
            org.assertj.core.groups.Tuple.tuple("score", "score", List.of("train_model")),
            org.assertj.core.groups.Tuple.tuple("backtest", "backtest", List.of("train_model")));
  }

  @Test
  void oneBadFileDoesNotStopTheOthers() throws IOException {
    Path folder = Files.createDirectory(tempDir.resolve("dags"));
    Files.writeString(folder.resolve("a_bad.yml"), "dag_id: bad\ntasks: [\n");
    Files.writeString(folder.resolve("b_good.yaml"), minimalDag("good"));
    Files.writeString(folder.resolve("notes.txt"), "not a DAG");
    Files.writeString(folder.resolve(".hidden.yml"), "garbage: [");

    DagLoadResult result = loader.load(Optional.of(folder), true);

    assertThat(result.dags())
        .extracting(DagDefinition::dagId)
        .containsExactly("good", "maintenance", "medallion", "training");
    assertThat(result.errors()).hasSize(1);
    assertThat(result.errors().get(0).source()).isEqualTo(folder.resolve("a_bad.yml").toString());
    assertThat(result.errors().get(0).message())
        .isEqualTo(
            folder.resolve("a_bad.yml")
                + ": not valid YAML at line 2, column 9: while parsing a flow node; expected the"
                + " node content, but found '<stream end>'");
  }

  @Test
  void aValidFolderDagOverridesTheShippedOneWithTheSameId() throws IOException {
    Path folder = Files.createDirectory(tempDir.resolve("dags"));
    Files.writeString(
        folder.resolve("mine.yml"),
        minimalDag("medallion").replace("tasks:", "paused: true\ntasks:"));

    DagLoadResult result = loader.load(Optional.of(folder), true);

    assertThat(result.errors()).isEmpty();
    DagDefinition dag = result.dag("medallion").orElseThrow();
    assertThat(dag.source()).isEqualTo(folder.resolve("mine.yml").toString());
    assertThat(dag.paused()).isTrue();
    assertThat(loader.load(Optional.of(folder), false).dags()).hasSize(1);
  }

  @Test
  void twoFolderFilesWithOneDagIdKeepTheFirstByName() throws IOException {
    Path folder = Files.createDirectory(tempDir.resolve("dags"));
    Files.writeString(folder.resolve("a.yml"), minimalDag("same"));
    Files.writeString(folder.resolve("b.yml"), minimalDag("same"));

    DagLoadResult result = loader.load(Optional.of(folder), false);

    assertThat(result.dag("same").orElseThrow().source())
        .isEqualTo(folder.resolve("a.yml").toString());
    assertThat(result.errors())
        .extracting(DagLoadError::message)
        .containsExactly(
            folder.resolve("b.yml")
                + ": dag_id: 'same' is already defined in "
                + folder.resolve("a.yml"));
  }

  @Test
  void aMissingFolderIsEmpty() {
    DagLoadResult result = loader.load(Optional.of(tempDir.resolve("nope")), false);

    assertThat(result.dags()).isEmpty();
    assertThat(result.errors()).isEmpty();
  }

  private static String minimalDag(String id) {
    return "dag_id: " + id + "\ntasks:\n  - {task_id: t, pipeline: build-gold}\n";
  }

  private Schedule scheduleOf(String yaml) {
    DagLoadResult r =
        loadOne("dag_id: s\nschedule: " + yaml + "\nstart_date: 2026-01-01\n" + minimalTasks());
    assertThat(r.errors()).isEmpty();
    return r.dags().get(0).schedule();
  }

  private static String minimalTasks() {
    return "tasks:\n  - {task_id: t, pipeline: build-gold}\n";
  }

  DagLoadResult loadOne(String yaml) {
    return loader.loadOne("dags/x.yml", yaml.getBytes(StandardCharsets.UTF_8));
  }
}

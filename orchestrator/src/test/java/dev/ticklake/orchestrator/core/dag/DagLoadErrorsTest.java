package dev.ticklake.orchestrator.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of mistake in a DAG file, with the exact message the user sees. */
class DagLoadErrorsTest {

  private final DagLoader loader = new DagLoader(DagLoaderTest.PIPELINES);

  private List<String> errors(String yaml) {
    DagLoadResult result = loader.loadOne("dags/bad.yml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(result.dags()).isEmpty();
    return result.errors().stream().map(DagLoadError::message).toList();
  }

  @Test
  void yamlSyntax() {
    assertThat(errors("dag_id: x\ntasks: [\n"))
        .containsExactly(
            "dags/bad.yml: not valid YAML at line 2, column 9: while parsing a flow node; expected"
                + " the node content, but found '<stream end>'");
    assertThat(errors("dag_id: x\ndag_id: y\n"))
        .containsExactly(
            "dags/bad.yml: not valid YAML at line 2, column 7: Duplicate field 'dag_id'");
  }

  @Test
  void emptyFileAndWrongTopLevel() {
    assertThat(errors(""))
        .containsExactly(
            "dags/bad.yml: the file is empty; a DAG file needs at least dag_id and tasks");
    assertThat(errors("- a\n- b\n"))
        .containsExactly(
            "dags/bad.yml: expected a mapping of DAG fields at the top level, got a list");
  }

  @Test
  void unknownFieldsWithASuggestion() {
    assertThat(
            errors(
                """
                dag_id: x
                schedul: 5s
                tasks:
                  - {task_id: t, pipeline: build-gold, retires: 2}
                """))
        .containsExactly(
            "dags/bad.yml: schedul: unknown field (did you mean 'schedule'? known: dag_id,"
                + " description, schedule, start_date, catchup, max_active_runs, max_queued_runs,"
                + " paused, executor, default_args, tasks)",
            "dags/bad.yml: tasks[0].retires: unknown field (did you mean 'retries'? known:"
                + " task_id, pipeline, options, upstream, retries, retry_delay,"
                + " retry_exponential_backoff, max_retry_delay, execution_timeout, trigger_rule,"
                + " executor)");
  }

  @Test
  void missingRequiredFields() {
    assertThat(errors("description: nothing else\n"))
        .containsExactly(
            "dags/bad.yml: dag_id: missing required field",
            "dags/bad.yml: tasks: missing required field");
    assertThat(errors("dag_id: x\ntasks:\n  - {pipeline: build-gold}\n  - {task_id: y}\n"))
        .containsExactly(
            "dags/bad.yml: tasks[0].task_id: missing required field",
            "dags/bad.yml: tasks[1].pipeline: missing required field");
    assertThat(errors("dag_id: x\nschedule: 5s\ntasks:\n  - {task_id: t, pipeline: build-gold}\n"))
        .containsExactly(
            "dags/bad.yml: start_date: missing required field (schedule '5s' is time-based)");
    assertThat(errors("dag_id: x\ntasks: []\n"))
        .containsExactly("dags/bad.yml: tasks: expected a non-empty list of tasks, got a list");
  }

  @Test
  void badDurationsAndTimestamps() {
    assertThat(
            errors(
                """
                dag_id: x
                start_date: yesterday
                default_args: {retry_delay: 5x, max_retry_delay: 10}
                tasks:
                  - {task_id: t, pipeline: build-gold, execution_timeout: -PT5S}
                """))
        .containsExactly(
            "dags/bad.yml: start_date: bad timestamp 'yesterday' (use e.g. 2026-01-01T00:00:00Z"
                + " or 2026-01-01 for midnight UTC)",
            "dags/bad.yml: default_args.retry_delay: bad duration '5x' (use e.g. 500ms, 5s, 1m,"
                + " 1h, 1d or ISO-8601 PT5S)",
            "dags/bad.yml: default_args.max_retry_delay: expected a string, got the number 10",
            "dags/bad.yml: tasks[0].execution_timeout: bad duration '-PT5S' (use e.g. 500ms, 5s,"
                + " 1m, 1h, 1d or ISO-8601 PT5S)");
  }

  @Test
  void badSchedules() {
    String tasks = "start_date: 2026-01-01\ntasks:\n  - {task_id: t, pipeline: build-gold}\n";
    assertThat(errors("dag_id: x\nschedule: '61 * * * *'\n" + tasks))
        .containsExactly(
            "dags/bad.yml: schedule: bad cron expression: minute field '61': value 61 is out of"
                + " range 0-59");
    assertThat(errors("dag_id: x\nschedule: 0s\n" + tasks))
        .containsExactly(
            "dags/bad.yml: schedule: bad interval '0s' (use e.g. 500ms, 5s, 1m, 1h, 1d or"
                + " ISO-8601 PT5S, greater than 0)");
    assertThat(errors("dag_id: x\nschedule: {datasets: []}\n" + tasks))
        .containsExactly(
            "dags/bad.yml: schedule.datasets: list at least one dataset, e.g. [silver/ticks]");
    assertThat(errors("dag_id: x\nschedule: {tables: [a]}\n" + tasks))
        .containsExactly(
            "dags/bad.yml: schedule.tables: unknown field (known: datasets)",
            "dags/bad.yml: schedule.datasets: missing required field");
  }

  @Test
  void unknownTriggerRuleAndExecutor() {
    assertThat(
            errors(
                """
                dag_id: x
                executor: kubernetes
                tasks:
                  - {task_id: t, pipeline: build-gold, trigger_rule: all_sucess}
                """))
        .containsExactly(
            "dags/bad.yml: executor: unknown executor 'kubernetes' (known: in_process,"
                + " subprocess)",
            "dags/bad.yml: tasks[0].trigger_rule: unknown trigger rule 'all_sucess' (known:"
                + " all_success, all_done, none_failed, one_success, one_failed, always)");
  }

  @Test
  void duplicateTaskIds() {
    assertThat(
            errors(
                """
                dag_id: x
                tasks:
                  - {task_id: a, pipeline: build-gold}
                  - {task_id: b, pipeline: build-gold}
                  - {task_id: a, pipeline: build-gold}
                """))
        .containsExactly("dags/bad.yml: tasks[2].task_id: duplicate task id 'a' (also tasks[0])");
  }

  @Test
  void unknownUpstreamNamesTheKnownTasks() {
    assertThat(
            errors(
                """
                dag_id: medallion
                tasks:
                  - {task_id: ingest_bronze, pipeline: ingest-bronze}
                  - {task_id: refine_silver, pipeline: refine-silver, upstream: [refine]}
                  - {task_id: build_gold, pipeline: build-gold, upstream: [build_gold]}
                """))
        .containsExactly(
            "dags/bad.yml: tasks[1].upstream: unknown task 'refine' (known: ingest_bronze,"
                + " build_gold)",
            "dags/bad.yml: tasks[2].upstream: task 'build_gold' cannot be its own upstream");
  }

  @Test
  void cyclesAreReportedWithTheirPath() {
    assertThat(
            errors(
                """
                dag_id: loop
                tasks:
                  - {task_id: ingest_bronze, pipeline: ingest-bronze, upstream: [build_gold]}
                  - {task_id: refine_silver, pipeline: refine-silver, upstream: [ingest_bronze]}
                  - {task_id: build_gold, pipeline: build-gold, upstream: [refine_silver]}
                  - {task_id: other, pipeline: build-gold}
                """))
        .containsExactly(
            "dags/bad.yml: tasks: cycle: ingest_bronze -> refine_silver -> build_gold ->"
                + " ingest_bronze");
  }

  @Test
  void unknownPipeline() {
    assertThat(errors("dag_id: x\ntasks:\n  - {task_id: t, pipeline: price-oracle}\n"))
        .containsExactly(
            "dags/bad.yml: tasks[0].pipeline: unknown pipeline 'price-oracle' (known: backtest,"
                + " build-features, build-gold, compact-tables, ingest-bronze, refine-silver, score,"
                + " train-model, vacuum-tables)");
  }

  @Test
  void negativeOrMistypedNumbers() {
    assertThat(
            errors(
                """
                dag_id: x
                max_active_runs: 0
                max_queued_runs: 0
                catchup: sometimes
                default_args: {retries: -1}
                tasks:
                  - {task_id: t, pipeline: build-gold, retries: two}
                """))
        .containsExactly(
            "dags/bad.yml: catchup: expected true or false, got 'sometimes'",
            "dags/bad.yml: max_active_runs: must be at least 1, got 0",
            "dags/bad.yml: max_queued_runs: must be at least 1, got 0",
            "dags/bad.yml: default_args.retries: must be at least 0, got -1",
            "dags/bad.yml: tasks[0].retries: expected a whole number, got 'two'");
  }

  @Test
  void badIdsAndOptions() {
    assertThat(
            errors(
                """
                dag_id: my dag
                tasks:
                  - {task_id: t, pipeline: build-gold, options: {nested: {a: 1}}, upstream: u}
                """))
        .containsExactly(
            "dags/bad.yml: dag_id: 'my dag' is not a valid id (use letters, digits, '_', '.', '-'"
                + " (starting with a letter or digit), at most 250)",
            "dags/bad.yml: tasks[0].options.nested: expected a string, number or boolean, got a"
                + " mapping",
            "dags/bad.yml: tasks[0].upstream: expected a list, e.g. [a, b], got 'u'");
  }
}

package dev.ticklake.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class DagRunDaoTest extends DatabaseTest {

  private DagRunDao runs;
  private TaskInstanceDao tasks;

  DagRunDaoTest(TestDatabase database) {
    super(database);
  }

  @BeforeEach
  void daos() {
    runs = new DagRunDao(jdbi);
    tasks = new TaskInstanceDao(jdbi);
  }

  private static NewDagRun medallionRun(Instant logicalTime, RunType type) {
    return new NewDagRun(
        "medallion",
        logicalTime,
        type,
        type == RunType.MANUAL ? "{\"symbols\":[\"AAPL\"]}" : null,
        null,
        logicalTime.plusMillis(10),
        List.of(
            new NewDagRun.Task("ingest_bronze", 3, "in_process"),
            new NewDagRun.Task("refine_silver", 3, "in_process")));
  }

  @Test
  void createsARunWithItsTaskInstancesOnceAndReturnsTheSameRunAfterwards() {
    CreatedRun first = runs.createRun(medallionRun(T0, RunType.SCHEDULED), Actor.SCHEDULER);
    CreatedRun again = runs.createRun(medallionRun(T0, RunType.SCHEDULED), Actor.SCHEDULER);

    String runId = "medallion__scheduled__2026-01-01T00:00:00Z";
    DagRun expected =
        new DagRun(
            runId,
            "medallion",
            T0,
            RunType.SCHEDULED,
            DagRunState.QUEUED,
            null,
            null,
            T0.plusMillis(10),
            null,
            null);
    assertThat(first).isEqualTo(new CreatedRun(expected, true));
    assertThat(again).isEqualTo(new CreatedRun(expected, false));
    assertThat(tasks.listByRun(runId))
        .extracting(
            TaskInstance::taskId,
            TaskInstance::state,
            TaskInstance::tryNumber,
            TaskInstance::version)
        .containsExactly(
            tuple("ingest_bronze", TaskState.NONE, 0, 0L),
            tuple("refine_silver", TaskState.NONE, 0, 0L));
    assertThat(tasks.events(runId, "refine_silver")).hasSize(1);
  }

  @Test
  void concurrentCreationOfTheSameRunCreatesItExactlyOnce() throws Exception {
    List<CreatedRun> results =
        race(8, () -> runs.createRun(medallionRun(T0, RunType.SCHEDULED), Actor.SCHEDULER));

    assertThat(results).filteredOn(CreatedRun::created).hasSize(1);
    assertThat(results.stream().map(r -> r.run().runId()).collect(Collectors.toSet()))
        .containsExactly("medallion__scheduled__2026-01-01T00:00:00Z");
    assertThat(runs.list("medallion", 100)).hasSize(1);
    assertThat(tasks.events("medallion__scheduled__2026-01-01T00:00:00Z", "ingest_bronze"))
        .hasSize(1);
  }

  @Test
  void theSameLogicalTimeMayHaveOneRunPerRunType() {
    runs.createRun(medallionRun(T0, RunType.SCHEDULED), Actor.SCHEDULER);
    CreatedRun manual = runs.createRun(medallionRun(T0, RunType.MANUAL), Actor.api("alice"));

    assertThat(manual.created()).isTrue();
    assertThat(manual.run().conf()).isEqualTo("{\"symbols\":[\"AAPL\"]}");
    assertThat(runs.find("medallion", T0, RunType.MANUAL)).contains(manual.run());
    assertThat(tasks.events(manual.run().runId(), "ingest_bronze").get(0).actor())
        .isEqualTo("api:alice");
  }

  @Test
  void listsNewestFirstAndCountsByState() {
    for (int i = 0; i < 3; i++) {
      runs.createRun(medallionRun(T0.plusSeconds(5L * i), RunType.SCHEDULED), Actor.SCHEDULER);
    }
    String oldest = "medallion__scheduled__2026-01-01T00:00:00Z";
    runs.compareAndSetState(oldest, DagRunState.QUEUED, DagRunState.RUNNING, T0.plusSeconds(1));

    assertThat(runs.list("medallion", 2))
        .extracting(DagRun::runId)
        .containsExactly(
            "medallion__scheduled__2026-01-01T00:00:10Z",
            "medallion__scheduled__2026-01-01T00:00:05Z");
    assertThat(runs.listByState(DagRunState.QUEUED, 10))
        .extracting(DagRun::logicalTime)
        .containsExactly(T0.plusSeconds(5), T0.plusSeconds(10));
    assertThat(runs.count("medallion", DagRunState.RUNNING)).isEqualTo(1);
    assertThat(runs.count("other", DagRunState.RUNNING)).isZero();
  }

  @Test
  void runStateIsACompareAndSetThatRecordsTimes() throws Exception {
    String id = runs.createRun(medallionRun(T0, RunType.SCHEDULED), Actor.SCHEDULER).run().runId();

    List<Boolean> wins =
        race(
            4,
            () ->
                runs.compareAndSetState(
                    id, DagRunState.QUEUED, DagRunState.RUNNING, T0.plusSeconds(1)));
    assertThat(wins).containsOnlyOnce(true);
    assertThat(
            runs.compareAndSetState(
                id, DagRunState.RUNNING, DagRunState.SUCCESS, T0.plusSeconds(2)))
        .isTrue();

    DagRun done = runs.find(id).orElseThrow();
    assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(done.endedAt()).isEqualTo(T0.plusSeconds(2));
    assertThatThrownBy(
            () -> runs.compareAndSetState(id, DagRunState.SUCCESS, DagRunState.RUNNING, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DAG run " + id + " cannot move from success to running");
  }

  @Test
  void dagRowsKeepTheirPausedFlagAcrossReloads() {
    DagDao dags = new DagDao(jdbi);
    dags.upsert("medallion", false, "classpath:dags/medallion.yml", "aa", T0);
    assertThat(dags.setPaused("medallion", true)).isTrue();
    assertThat(dags.setPaused("unknown", true)).isFalse();

    DagRecord reloaded =
        dags.upsert("medallion", false, "dags/medallion.yml", "bb", T0.plusSeconds(9));

    assertThat(reloaded)
        .isEqualTo(new DagRecord("medallion", true, "dags/medallion.yml", "bb", T0.plusSeconds(9)));
    assertThat(dags.list()).containsExactly(reloaded);
  }

  @Test
  void schedulerHeartbeatsTellLiveSchedulersFromDeadOnes() {
    SchedulerHeartbeatDao beats = new SchedulerHeartbeatDao(jdbi);
    beats.beat("s1", "host-a", 11, T0);
    beats.beat("s2", "host-b", 22, T0);
    beats.beat("s1", "host-a", 11, T0.plusSeconds(30));

    assertThat(beats.aliveSince(T0.plusSeconds(10)))
        .containsExactly(new SchedulerHeartbeat("s1", "host-a", 11, T0.plusSeconds(30)));
    assertThat(beats.list())
        .extracting(SchedulerHeartbeat::schedulerId)
        .containsExactly("s1", "s2");
  }

  @Test
  void migrationIsIdempotentAndCreatesEveryTable() throws Exception {
    assertThat(Migrations.migrate(dataSource).migrationsExecuted).isZero();

    Set<String> tables = new java.util.TreeSet<>();
    try (var c = dataSource.getConnection();
        var rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
      }
    }
    assertThat(tables)
        .contains(
            "dag",
            "dag_run",
            "task_instance",
            "task_event",
            "task_log",
            "backfill",
            "scheduler_heartbeat",
            "lineage_dataset_version",
            "admin_credential",
            "flyway_schema_history");
  }
}

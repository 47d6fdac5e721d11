package dev.ticklake.orchestrator.db;

import static dev.ticklake.orchestrator.core.state.TaskState.NONE;
import static dev.ticklake.orchestrator.core.state.TaskState.QUEUED;
import static dev.ticklake.orchestrator.core.state.TaskState.RUNNING;
import static dev.ticklake.orchestrator.core.state.TaskState.SCHEDULED;
import static dev.ticklake.orchestrator.core.state.TaskState.SUCCESS;
import static dev.ticklake.orchestrator.core.state.TaskState.UP_FOR_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.core.state.IllegalStateTransitionException;
import dev.ticklake.orchestrator.core.state.TaskState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class TaskInstanceDaoTest extends DatabaseTest {

  private static final String RUN = "medallion__scheduled__2026-01-01T00:00:00Z";

  private TaskInstanceDao tasks;

  TaskInstanceDaoTest(TestDatabase database) {
    super(database);
  }

  @BeforeEach
  void createARun() {
    tasks = new TaskInstanceDao(jdbi);
    new DagRunDao(jdbi)
        .createRun(
            new NewDagRun(
                "medallion",
                T0,
                RunType.SCHEDULED,
                null,
                null,
                T0,
                List.of(
                    new NewDagRun.Task("ingest_bronze", 3, "in_process"),
                    new NewDagRun.Task("build_gold", 1, "subprocess"))),
            Actor.SCHEDULER);
  }

  private boolean move(TaskState from, TaskState to, int second) {
    return tasks.compareAndSetState(
        TaskStateChange.of(
            RUN, "ingest_bronze", from, to, Actor.SCHEDULER, from + " to " + to, at(second)));
  }

  private static Instant at(int second) {
    return T0.plusSeconds(second);
  }

  @Test
  void exactlyOneOfManyRacersWinsACompareAndSetAndOnlyItsEventIsWritten() throws Exception {
    assertThat(move(NONE, SCHEDULED, 1)).isTrue();

    List<Boolean> wins = race(8, () -> move(SCHEDULED, QUEUED, 2));

    assertThat(wins).containsOnlyOnce(true).hasSize(8);
    TaskInstance ti = tasks.find(RUN, "ingest_bronze").orElseThrow();
    assertThat(ti.state()).isEqualTo(QUEUED);
    assertThat(ti.version()).isEqualTo(2);
    assertThat(tasks.events(RUN, "ingest_bronze"))
        .extracting(TaskEvent::fromState, TaskEvent::toState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, NONE),
            org.assertj.core.groups.Tuple.tuple(NONE, SCHEDULED),
            org.assertj.core.groups.Tuple.tuple(SCHEDULED, QUEUED));
  }

  @Test
  void aStaleStateOrVersionLosesAndWritesNothing() {
    assertThat(move(NONE, SCHEDULED, 1)).isTrue();

    assertThat(move(NONE, SCHEDULED, 2)).isFalse();
    assertThat(
            tasks.compareAndSetState(
                RUN, "ingest_bronze", SCHEDULED, 0L, QUEUED, Actor.SCHEDULER, "stale", at(3)))
        .isFalse();
    assertThat(tasks.find(RUN, "ingest_bronze").orElseThrow().version()).isEqualTo(1);
    assertThat(tasks.events(RUN, "ingest_bronze")).hasSize(2);

    assertThat(
            tasks.compareAndSetState(
                RUN, "ingest_bronze", SCHEDULED, 1L, QUEUED, Actor.SCHEDULER, "fresh", at(4)))
        .isTrue();
    assertThat(tasks.find(RUN, "ingest_bronze").orElseThrow().version()).isEqualTo(2);
    assertThat(move(QUEUED, RUNNING, 5)).isTrue();
    assertThat(
            tasks.compareAndSetState(
                TaskStateChange.of(
                    RUN, "missing_task", NONE, SCHEDULED, Actor.SCHEDULER, "no such task", at(6))))
        .isFalse();
  }

  @Test
  void anIllegalMoveIsRejectedBeforeTouchingTheDatabase() {
    assertThatThrownBy(() -> move(NONE, RUNNING, 1))
        .isInstanceOf(IllegalStateTransitionException.class)
        .hasMessage(
            "Task instance "
                + RUN
                + "/ingest_bronze cannot move from none to running (reason: none to running): from"
                + " none a normal move reaches canceled, scheduled, skipped, upstream_failed");
    assertThat(tasks.find(RUN, "ingest_bronze").orElseThrow().state()).isEqualTo(NONE);
    assertThat(tasks.events(RUN, "ingest_bronze")).hasSize(1);
  }

  @Test
  void aRetriedTaskRecordsTriesTimesWorkerAndEveryEvent() {
    Instant retryAt = at(20);
    assertThat(move(NONE, SCHEDULED, 1)).isTrue();
    assertThat(move(SCHEDULED, QUEUED, 2)).isTrue();
    assertThat(
            tasks.compareAndSetState(
                TaskStateChange.of(
                        RUN, "ingest_bronze", QUEUED, RUNNING, Actor.WORKER, "started", at(3))
                    .withWorker("host-a", 4242L)))
        .isTrue();
    assertThat(
            tasks.compareAndSetState(
                TaskStateChange.of(
                        RUN,
                        "ingest_bronze",
                        RUNNING,
                        UP_FOR_RETRY,
                        Actor.WORKER,
                        "java.io.IOException: broker away",
                        at(4))
                    .withNextRetryAt(retryAt)))
        .isTrue();

    TaskInstance waiting = tasks.find(RUN, "ingest_bronze").orElseThrow();
    assertThat(waiting.tryNumber()).isEqualTo(1);
    assertThat(waiting.nextRetryAt()).isEqualTo(retryAt);
    assertThat(waiting.endedAt()).isEqualTo(at(4));
    assertThat(tasks.listDueRetries(at(19), 10)).isEmpty();
    assertThat(tasks.listDueRetries(retryAt, 10)).containsExactly(waiting);

    assertThat(move(UP_FOR_RETRY, SCHEDULED, 20)).isTrue();
    assertThat(move(SCHEDULED, QUEUED, 21)).isTrue();
    assertThat(
            tasks.compareAndSetState(
                TaskStateChange.of(
                        RUN, "ingest_bronze", QUEUED, RUNNING, Actor.WORKER, "started", at(22))
                    .withWorker("host-b", 7L)))
        .isTrue();
    assertThat(move(RUNNING, SUCCESS, 23)).isTrue();

    assertThat(tasks.find(RUN, "ingest_bronze").orElseThrow())
        .isEqualTo(
            new TaskInstance(
                RUN,
                "ingest_bronze",
                SUCCESS,
                2,
                3,
                "in_process",
                "host-b",
                7L,
                at(21),
                at(22),
                at(23),
                null,
                at(22),
                8));
    assertThat(tasks.events(RUN, "ingest_bronze"))
        .extracting(
            TaskEvent::tryNumber,
            TaskEvent::fromState,
            TaskEvent::toState,
            TaskEvent::at,
            TaskEvent::actor,
            TaskEvent::reason)
        .containsExactly(
            tuple(0, null, NONE, T0, "scheduler", "created with scheduled run " + RUN),
            tuple(0, NONE, SCHEDULED, at(1), "scheduler", "none to scheduled"),
            tuple(0, SCHEDULED, QUEUED, at(2), "scheduler", "scheduled to queued"),
            tuple(1, QUEUED, RUNNING, at(3), "worker", "started"),
            tuple(1, RUNNING, UP_FOR_RETRY, at(4), "worker", "java.io.IOException: broker away"),
            tuple(1, UP_FOR_RETRY, SCHEDULED, at(20), "scheduler", "up_for_retry to scheduled"),
            tuple(1, SCHEDULED, QUEUED, at(21), "scheduler", "scheduled to queued"),
            tuple(2, QUEUED, RUNNING, at(22), "worker", "started"),
            tuple(2, RUNNING, SUCCESS, at(23), "scheduler", "running to success"));
  }

  @Test
  void clearingAFinishedTaskResetsItAndGrantsNewTries() {
    move(NONE, SCHEDULED, 1);
    move(SCHEDULED, QUEUED, 2);
    move(QUEUED, RUNNING, 3);
    move(RUNNING, SUCCESS, 4);

    assertThat(
            tasks.compareAndSetState(
                TaskStateChange.of(
                        RUN, "ingest_bronze", SUCCESS, NONE, Actor.api("alice"), "re-run", at(5))
                    .asClear(4)))
        .isTrue();

    assertThat(tasks.find(RUN, "ingest_bronze").orElseThrow())
        .isEqualTo(
            new TaskInstance(
                RUN,
                "ingest_bronze",
                NONE,
                1,
                4,
                "in_process",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                5));
    assertThat(tasks.events(RUN, "ingest_bronze").get(5))
        .extracting(TaskEvent::fromState, TaskEvent::toState, TaskEvent::actor)
        .containsExactly(SUCCESS, NONE, "api:alice");
  }

  @Test
  void heartbeatsOnlyCountForTheRunningTry() {
    move(NONE, SCHEDULED, 1);
    move(SCHEDULED, QUEUED, 2);
    move(QUEUED, RUNNING, 3);

    assertThat(tasks.heartbeat(RUN, "ingest_bronze", 1, at(10))).isTrue();
    assertThat(tasks.heartbeat(RUN, "ingest_bronze", 2, at(11))).isFalse();
    TaskInstance ti = tasks.find(RUN, "ingest_bronze").orElseThrow();
    assertThat(ti.lastHeartbeatAt()).isEqualTo(at(10));
    assertThat(ti.version()).isEqualTo(3);
    assertThat(tasks.listRunningWithHeartbeatBefore(at(10), 10)).isEmpty();
    assertThat(tasks.listRunningWithHeartbeatBefore(at(11), 10)).containsExactly(ti);

    move(RUNNING, SUCCESS, 12);
    assertThat(tasks.heartbeat(RUN, "ingest_bronze", 1, at(13))).isFalse();
  }

  @Test
  void listsByRunAndByState() {
    move(NONE, SCHEDULED, 1);

    assertThat(tasks.listByRun(RUN))
        .extracting(TaskInstance::taskId, TaskInstance::state, TaskInstance::maxTries)
        .containsExactly(tuple("build_gold", NONE, 1), tuple("ingest_bronze", SCHEDULED, 3));
    assertThat(tasks.listByState(SCHEDULED, 10))
        .extracting(TaskInstance::key)
        .containsExactly(RUN + "/ingest_bronze");
  }

  @Test
  void instantsRoundTripToTheMicrosecond() {
    Instant precise = Instant.parse("2026-03-29T01:30:00.123456789Z");
    tasks.compareAndSetState(
        TaskStateChange.of(RUN, "ingest_bronze", NONE, SCHEDULED, Actor.SCHEDULER, "x", precise));

    assertThat(tasks.events(RUN, "ingest_bronze").get(1).at())
        .isEqualTo(Instant.parse("2026-03-29T01:30:00.123456Z"));
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}

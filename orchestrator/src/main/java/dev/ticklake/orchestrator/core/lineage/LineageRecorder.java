package dev.ticklake.orchestrator.core.lineage;

import dev.ticklake.orchestrator.core.exec.RunContext;
import dev.ticklake.orchestrator.core.exec.TaskLifecycleListener;
import dev.ticklake.orchestrator.core.exec.TaskResult;
import dev.ticklake.orchestrator.core.exec.TaskRun;
import dev.ticklake.orchestrator.db.LineageDao;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lineage of every try: at its end, what it read and wrote (with versions) goes into the
 * database (synchronously, a few rows; a database error is logged, never fails the try), and
 * OpenLineage START / COMPLETE / FAIL events go to the {@link LineageEmitter} (asynchronously; none
 * when events are off). A failed try records its outcome FAILED and no datasets: it committed
 * nothing, and what it read is not known.
 */
public final class LineageRecorder implements TaskLifecycleListener {
  private static final Logger LOG = LoggerFactory.getLogger(LineageRecorder.class);

  private final LineageDao dao;
  private final Optional<LineageEmitter> emitter;
  private final OpenLineageEvents events;
  private final Clock clock;

  public LineageRecorder(
      LineageDao dao, Optional<LineageEmitter> emitter, OpenLineageEvents events, Clock clock) {
    this.dao = Objects.requireNonNull(dao, "dao");
    this.emitter = Objects.requireNonNull(emitter, "emitter");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void onStart(String dagId, TaskRun run) {
    if (emitter.isEmpty()) {
      return;
    }
    OpenLineageEvents.TryIdentity id = identity(dagId, run);
    java.time.Instant at = clock.instant();
    emitter.get().submit(() -> events.start(id, declared(run), at));
  }

  @Override
  public void onFinish(String dagId, TaskRun run, TaskResult result) {
    OpenLineageEvents.TryIdentity id = identity(dagId, run);
    java.time.Instant at = clock.instant();
    TaskLineage lineage = result.succeeded() ? result.outcome().lineage() : TaskLineage.NONE;
    String outcome = result.succeeded() ? result.outcome().status() : "FAILED";
    try {
      dao.record(
          new LineageDao.TryKey(dagId, id.runId(), id.taskId(), id.tryNumber()),
          outcome,
          OpenLineageEvents.runId(id).toString(),
          lineage,
          at);
    } catch (RuntimeException e) {
      LOG.warn("lineage of {} not recorded: {}", run.key(), e.toString(), e);
    }
    emitter.ifPresent(
        e ->
            e.submit(
                result.succeeded()
                    ? () -> events.complete(id, lineage, at)
                    : () -> events.fail(id, declared(run), result.error(), at)));
  }

  private static OpenLineageEvents.TryIdentity identity(String dagId, TaskRun run) {
    RunContext ctx = run.context();
    return new OpenLineageEvents.TryIdentity(
        dagId, ctx.runId(), ctx.taskId(), ctx.tryNumber(), ctx.logicalTime());
  }

  /** What the task's pipeline reads and writes, with the task's options applied. */
  private static PipelineLineage.Declared declared(TaskRun run) {
    RunContext ctx = run.context();
    return PipelineLineage.declared(
        run.pipeline(),
        run.options().getOrDefault("lakeRoot", ctx.lakeRoot()),
        run.options().getOrDefault("bootstrapServers", ctx.bootstrapServers()),
        run.options().getOrDefault("topic", "market.ticks"));
  }
}

package dev.ticklake.orchestrator.core.lineage;

import com.codahale.metrics.MetricRegistry;
import dev.ticklake.orchestrator.core.exec.TaskLifecycleListener;
import dev.ticklake.orchestrator.db.LineageDao;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lineage wired together: the DAO, the event emitter (when a transport is configured) and the
 * {@link TaskLifecycleListener} the scheduler calls. A Dropwizard {@link Managed}: {@link #stop}
 * sends the queued events (bounded by {@code closeTimeout}) and closes the transport. Register it
 * before the scheduler so that it stops after it.
 */
public final class Lineage implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(Lineage.class);

  private final LineageDao dao;
  private final Optional<LineageEmitter> emitter;
  private final LineageRecorder recorder;
  private final LineageSettings settings;

  public Lineage(LineageSettings settings, Jdbi jdbi, MetricRegistry metrics, Clock clock) {
    this.settings = settings;
    this.dao = new LineageDao(jdbi);
    this.emitter =
        settings.emitsEvents()
            ? Optional.of(
                new LineageEmitter(
                    LineageTransports.create(settings),
                    settings.queueCapacity(),
                    settings.closeTimeout(),
                    metrics))
            : Optional.empty();
    this.recorder =
        new LineageRecorder(dao, emitter, new OpenLineageEvents(settings.namespace()), clock);
    LOG.info(
        "lineage: recorded in the database; OpenLineage events: {}",
        switch (settings.transport()) {
          case "http" -> "POST " + settings.url() + settings.endpoint();
          case "file" -> "appended to " + settings.file().toAbsolutePath();
          default -> "off (lineage.transport: none)";
        });
  }

  public TaskLifecycleListener listener() {
    return recorder;
  }

  public LineageDao dao() {
    return dao;
  }

  public Optional<LineageEmitter> emitter() {
    return emitter;
  }

  public LineageSettings settings() {
    return settings;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    emitter.ifPresent(LineageEmitter::close);
  }
}

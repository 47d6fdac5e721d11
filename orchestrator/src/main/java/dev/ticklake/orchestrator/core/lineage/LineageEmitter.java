package dev.ticklake.orchestrator.core.lineage;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.Transport;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends OpenLineage events in the background, so that lineage never blocks or fails a task.
 *
 * <p>{@link #submit} only offers the event to a bounded queue ({@code capacity}) and returns at
 * once; when the queue is full the event is dropped, counted ({@code lineage.events.dropped}) and a
 * warning is logged (at most every 10 s). One daemon thread builds and sends the events in order
 * through the transport; a transport error (endpoint down, HTTP 5xx, timeout) is counted ({@code
 * lineage.events.failed}) and logged, and the event is not retried. Each send is bounded by the
 * transport's own timeout (HTTP: {@code lineage.timeout}). {@link #close} stops taking events,
 * sends what is queued for at most {@code closeTimeout}, then gives up on the rest.
 */
public final class LineageEmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LineageEmitter.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final OpenLineageClient client;
  private final BlockingQueue<Supplier<RunEvent>> queue;
  private final Duration closeTimeout;
  private final Counter emitted;
  private final Counter dropped;
  private final Counter failed;
  private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private final Thread sender;
  private volatile boolean closed;

  public LineageEmitter(
      Transport transport, int capacity, Duration closeTimeout, MetricRegistry metrics) {
    if (capacity < 1) {
      throw new IllegalArgumentException("lineage.queueCapacity must be >= 1, got " + capacity);
    }
    this.client = new OpenLineageClient(Objects.requireNonNull(transport, "transport"));
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    this.emitted = metrics.counter("lineage.events.emitted");
    this.dropped = metrics.counter("lineage.events.dropped");
    this.failed = metrics.counter("lineage.events.failed");
    metrics.gauge("lineage.events.queued", () -> queue::size);
    this.sender = new Thread(this::sendLoop, "ticklake-lineage-emitter");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Queues an event (built later, on the sender thread). Never blocks; returns false when the event
   * was dropped (queue full, or closed).
   */
  public boolean submit(Supplier<RunEvent> event) {
    if (!closed && queue.offer(event)) {
      return true;
    }
    dropped.inc();
    long now = System.nanoTime();
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
      LOG.warn(
          "OpenLineage event dropped: {} (queue of {} full; the endpoint is slow or down);"
              + " {} dropped so far (metric lineage.events.dropped)",
          closed ? "emitter closed" : "queue full",
          queue.remainingCapacity() + queue.size(),
          dropped.getCount());
    }
    return false;
  }

  public long emittedCount() {
    return emitted.getCount();
  }

  public long droppedCount() {
    return dropped.getCount();
  }

  public long failedCount() {
    return failed.getCount();
  }

  private void sendLoop() {
    while (true) {
      Supplier<RunEvent> next;
      try {
        next = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        if (closed) {
          return;
        }
        continue;
      }
      send(next);
    }
  }

  private void send(Supplier<RunEvent> event) {
    try {
      client.emit(event.get());
      emitted.inc();
    } catch (RuntimeException e) {
      failed.inc();
      LOG.warn("OpenLineage event not sent: {}", e.toString());
      LOG.debug("OpenLineage send failure", e);
    }
  }

  /** Sends what is queued for at most {@code closeTimeout}, then closes the transport. */
  @Override
  public void close() {
    closed = true;
    try {
      sender.join(Math.max(1, closeTimeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sender.isAlive()) {
      LOG.warn(
          "OpenLineage: {} event(s) not sent within {} at shutdown; dropped",
          queue.size(),
          closeTimeout);
      sender.interrupt();
    }
    try {
      client.close();
    } catch (Exception e) {
      LOG.debug("closing the OpenLineage transport", e);
    }
  }
}

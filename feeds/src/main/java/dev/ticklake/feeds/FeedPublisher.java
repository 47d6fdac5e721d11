package dev.ticklake.feeds;

import dev.ticklake.feeds.kafka.KafkaSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a {@link Feed} to Kafka: each item to the settings' topic with its key and value, at the
 * feed's pace, printing progress to {@code out} every 2 s ({@code feed synthetic: 5000 sent,
 * 2500/s, 0 errors, 2.0 s elapsed}) and problems to {@code err}.
 *
 * <p>The producer is {@link KafkaSettings#producerProperties()}: {@code acks=all}, idempotent, lz4,
 * {@code linger.ms=5}. "Sent" counts records the broker acknowledged; "errors" counts records that
 * failed and bad input the feed skipped; "skipped" counts gaps the source marked.
 *
 * <p><b>One run per publisher.</b> {@link #run} blocks the calling thread until the feed ends, a
 * limit is reached or {@link #stop()} is called, then flushes and closes the producer. {@link
 * #stop()} may be called from any thread (e.g. a shutdown hook) and returns once the run has
 * flushed and closed, or after 30 s.
 */
public final class FeedPublisher {

  private static final int MAX_PRINTED_SEND_ERRORS = 10;
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final PrintStream out;
  private final PrintStream err;
  private final Duration progressEvery;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile Thread runner;

  /** A publisher with a new {@link KafkaProducer} for {@code settings}; progress every 2 s. */
  public FeedPublisher(KafkaSettings settings, PrintStream out, PrintStream err) {
    this(
        new KafkaProducer<>(settings.producerProperties()),
        settings.topic(),
        out,
        err,
        Duration.ofSeconds(2));
  }

  /** For tests: any producer (e.g. {@code MockProducer}), any progress interval. */
  public FeedPublisher(
      Producer<byte[], byte[]> producer,
      String topic,
      PrintStream out,
      PrintStream err,
      Duration progressEvery) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.progressEvery = Objects.requireNonNull(progressEvery, "progressEvery");
  }

  /**
   * Sends the feed until it ends, {@code maxRecords} were sent ({@code <= 0}: no limit), {@code
   * maxDuration} passed (null: no limit) or {@link #stop()} was called.
   *
   * @return the summary, after the producer was flushed and closed
   * @throws FeedException if the feed cannot be opened (the producer is closed too)
   */
  public FeedSummary run(Feed feed, long maxRecords, Duration maxDuration) {
    runner = Thread.currentThread();
    long startNanos = System.nanoTime();
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "feed-progress");
              t.setDaemon(true);
              return t;
            });
    boolean stopped = false;
    try {
      Iterator<FeedItem> items = feed.open(this::report);
      Pacing pacing = feed.pacing();
      long[] last = {0, startNanos};
      long periodMs = progressEvery.toMillis();
      progress.scheduleAtFixedRate(
          () -> printProgress(feed.source(), startNanos, last), periodMs, periodMs, MILLIS);
      long deadline = maxDuration == null ? Long.MAX_VALUE : startNanos + maxDuration.toNanos();
      long index = 0;
      while (items.hasNext() && (maxRecords <= 0 || index < maxRecords)) {
        FeedItem item = items.next();
        long due = Math.min(startNanos + pacing.dueNanos(index, item), deadline);
        if (awaitStop(due) || System.nanoTime() >= deadline) {
          stopped = stopRequested.getCount() == 0;
          break;
        }
        producer.send(new ProducerRecord<>(topic, item.key(), item.value()), this::acked);
        index++;
      }
      producer.flush();
    } finally {
      progress.shutdownNow();
      producer.close(STOP_WAIT);
      finished.countDown();
    }
    return new FeedSummary(
        feed.source(),
        topic,
        sent.get(),
        errors.get(),
        skipped.get(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        stopped);
  }

  /**
   * Asks the run to end, then waits until it has flushed and closed the producer (at most 30 s).
   * Safe from any thread, idempotent; from the running thread itself it only asks.
   */
  public void stop() {
    stopRequested.countDown();
    if (Thread.currentThread() == runner || runner == null) {
      return;
    }
    try {
      finished.await(STOP_WAIT.toMillis(), MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until {@code dueNanos} (System.nanoTime); true if a stop was requested meanwhile. */
  private boolean awaitStop(long dueNanos) {
    long wait = dueNanos - System.nanoTime();
    try {
      return wait > 0
          ? stopRequested.await(wait, TimeUnit.NANOSECONDS)
          : stopRequested.getCount() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void acked(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
    if (e == null) {
      sent.incrementAndGet();
    } else if (errors.incrementAndGet() <= MAX_PRINTED_SEND_ERRORS) {
      err.println("send failed: " + e.getMessage());
    }
  }

  private void report(FeedProblem problem) {
    (problem.severity() == FeedProblem.Severity.ERROR ? errors : skipped).incrementAndGet();
    err.println(problem.message());
  }

  private void printProgress(String source, long startNanos, long[] last) {
    long now = System.nanoTime();
    long total = sent.get();
    double seconds = (now - last[1]) / 1e9;
    double rate = seconds > 0 ? (total - last[0]) / seconds : 0;
    last[0] = total;
    last[1] = now;
    out.printf(
        Locale.ROOT,
        "feed %s: %d sent, %.0f/s, %d errors, %.1f s elapsed%n",
        source,
        total,
        rate,
        errors.get(),
        (now - startNanos) / 1e9);
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;
}

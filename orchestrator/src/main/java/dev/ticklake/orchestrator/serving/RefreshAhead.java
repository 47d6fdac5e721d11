package dev.ticklake.orchestrator.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh-ahead for the read layer's result cache: watches the tables of the queries read in the
 * last {@code window} and, when one gets a new version, computes those queries at that version
 * once, on a thread of its own, most recently read first. Dashboards refresh the same queries every
 * few seconds; without it, the first refresh of each panel after a commit waited for the new
 * version's log replay and decoding. Requests that come while a query is being computed wait for
 * that computation (the cache computes a key once, whoever asks first), so the work is done once
 * either way, and it starts as soon as the commit is seen instead of at the next request.
 *
 * <p>It changes only when results are computed, never what they are: a query is computed at the
 * version the request would read, by the same code ({@link Source#compute}), under the same cache
 * key. A request still looks up the latest version itself, so a commit is visible to the next
 * request whether or not the refresh-ahead has reached it. Thread-safe.
 */
final class RefreshAhead implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshAhead.class);

  /** What the refresh-ahead reads through: the latest version, and one cached computation. */
  interface Source {
    long latestVersion(String location);

    /** Computes (or finds cached) {@code query}'s result at {@code version}. */
    void compute(String location, long version, TableQuery query);
  }

  private record Recent(String location, TableQuery query) {}

  /** When a query was last read, and the newest version its result is known at. */
  private record Use(long readNanos, long version) {}

  private final Source source;
  private volatile long windowNanos;
  private volatile boolean started;
  private final Map<Recent, Use> recent = new ConcurrentHashMap<>();
  private final LongAdder computed = new LongAdder();
  private ScheduledExecutorService poller;

  RefreshAhead(Source source) {
    this.source = source;
  }

  /** Notes that a request read {@code query} (the cached form) at {@code version}. */
  void read(String location, TableQuery query, long version) {
    if (!started) {
      return; // nothing would forget it
    }
    long now = System.nanoTime();
    recent.merge(
        new Recent(location, query),
        new Use(now, version),
        (old, use) -> new Use(now, Math.max(old.version(), version)));
  }

  /**
   * Polls for new versions every {@code interval} on a daemon thread until {@link #close}; {@code
   * window}: how recently a query must have been read to be refreshed ahead.
   */
  synchronized void start(Duration window, Duration interval) {
    if (poller != null) {
      return;
    }
    windowNanos = window.toNanos();
    started = true;
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ticklake-refresh-ahead");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::pollSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queries computed ahead since start. */
  long computed() {
    return computed.sum();
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // A table being rewritten or a file system hiccup: the requests will compute what they need.
      LOG.debug("refresh-ahead pass failed", e);
    }
  }

  /**
   * One pass: forgets queries not read within the window; for each table with a version newer than
   * some of its recent queries' results, computes those at that version, most recently read first
   * (stopping when a newer version appears: the next pass takes that one).
   */
  void poll() {
    long now = System.nanoTime();
    recent.values().removeIf(use -> now - use.readNanos() > windowNanos);
    Map<String, List<Map.Entry<Recent, Use>>> byTable = new LinkedHashMap<>();
    for (Map.Entry<Recent, Use> e : recent.entrySet()) {
      byTable.computeIfAbsent(e.getKey().location(), l -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<Map.Entry<Recent, Use>>> table : byTable.entrySet()) {
      String location = table.getKey();
      long latest = source.latestVersion(location);
      List<Map.Entry<Recent, Use>> stale =
          new ArrayList<>(
              table.getValue().stream().filter(e -> e.getValue().version() < latest).toList());
      stale.sort(
          Comparator.comparingLong((Map.Entry<Recent, Use> e) -> e.getValue().readNanos())
              .reversed());
      for (Map.Entry<Recent, Use> e : stale) {
        if (source.latestVersion(location) != latest) {
          break;
        }
        source.compute(location, latest, e.getKey().query());
        computed.increment();
        recent.computeIfPresent(
            e.getKey(), (k, use) -> new Use(use.readNanos(), Math.max(use.version(), latest)));
      }
    }
  }

  @Override
  public synchronized void close() {
    started = false;
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
    recent.clear();
  }
}

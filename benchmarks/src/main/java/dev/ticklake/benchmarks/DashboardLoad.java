package dev.ticklake.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Concurrent Grafana clients refreshing a {@link MarketDashboard}: client {@code i} (its own {@link
 * HttpClient}, as each browser has its own connections) shows symbol {@code i % symbols} and
 * refreshes every {@code period}, the clients' first refreshes spread evenly over one period. A
 * refresh sends all its requests at once, in parallel, as Grafana runs its panels' queries; its
 * latency is the time until the last answer is in. A refresh that is still running when the next is
 * due delays the next one (Grafana does not stack refreshes). Non-2xx answers and exceptions
 * (including the {@value #TIMEOUT_SECONDS} s timeout) are errors.
 */
final class DashboardLoad {
  static final int TIMEOUT_SECONDS = 30;
  private static final int ERRORS_KEPT = 10;

  private final String base;
  private final MarketDashboard dashboard;
  private final List<String> symbols;
  private final Duration range;
  private final DashboardReport.Recorder recorder = new DashboardReport.Recorder(ERRORS_KEPT);
  private ScheduledExecutorService timer;

  /** {@code base}: the service's root URL, e.g. {@code http://127.0.0.1:8080}. */
  DashboardLoad(String base, MarketDashboard dashboard, List<String> symbols) {
    this.base = base;
    this.dashboard = dashboard;
    this.symbols = List.copyOf(symbols);
    this.range = dashboard.defaultRange();
  }

  /**
   * Starts {@code clients} clients refreshing for {@code duration} from now; {@link #finish} waits
   * for them.
   */
  void start(int clients, Duration period, Duration duration) {
    if (timer != null) {
      throw new IllegalStateException("already started");
    }
    timer = Executors.newScheduledThreadPool(clients);
    long stagger = period.toNanos() / clients;
    long endNanos = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < clients; i++) {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
              .build();
      String symbol = symbols.get(i % symbols.size());
      timer.scheduleAtFixedRate(
          () -> {
            if (System.nanoTime() < endNanos) {
              try {
                refresh(http, symbol);
              } catch (RuntimeException e) {
                // counted, and the client goes on (an exception would end its schedule)
                recorder.error("refresh of " + symbol + ": " + e);
              }
            }
          },
          i * stagger,
          period.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  /** What has been recorded so far. */
  DashboardReport.Recorder recorder() {
    return recorder;
  }

  /** Stops scheduling refreshes, waits for the running ones; returns what was recorded. */
  DashboardReport.Recorder finish() throws InterruptedException {
    timer.shutdown();
    if (!timer.awaitTermination(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
      timer.shutdownNow();
    }
    return recorder;
  }

  /** One refresh of the dashboard for {@code symbol}: every request in parallel, then waits. */
  void refresh(HttpClient http, String symbol) {
    Instant to = Instant.now();
    List<MarketDashboard.Request> requests = dashboard.refresh(symbol, to.minus(range), to);
    long start = System.nanoTime();
    List<CompletableFuture<Void>> answers = new ArrayList<>();
    for (MarketDashboard.Request r : requests) {
      long sent = System.nanoTime();
      answers.add(
          http.sendAsync(httpRequest(r), HttpResponse.BodyHandlers.ofString())
              .handle(
                  (response, error) -> {
                    recorder.request(
                        r.panel(), (System.nanoTime() - sent) / 1e6, problem(r, response, error));
                    return null;
                  }));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
    recorder.refresh((System.nanoTime() - start) / 1e6);
  }

  private HttpRequest httpRequest(MarketDashboard.Request r) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + r.pathAndQuery()))
            .timeout(Duration.ofSeconds(TIMEOUT_SECONDS));
    if (r.body() == null) {
      return b.GET().build();
    }
    return b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(r.body()))
        .build();
  }

  /** Null when the answer is a 2xx; what went wrong otherwise. */
  static String problem(MarketDashboard.Request r, HttpResponse<String> response, Throwable error) {
    if (error != null) {
      return r.method() + " " + r.pathAndQuery() + " (" + r.panel() + "): " + error;
    }
    if (response.statusCode() / 100 != 2) {
      String body = response.body();
      return r.method()
          + " "
          + r.pathAndQuery()
          + " ("
          + r.panel()
          + "): "
          + response.statusCode()
          + " "
          + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
    return null;
  }
}

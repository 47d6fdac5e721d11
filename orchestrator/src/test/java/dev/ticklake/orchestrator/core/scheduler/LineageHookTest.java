package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ticklake.orchestrator.core.lineage.Lineage;
import dev.ticklake.orchestrator.core.lineage.LineageSettings;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.LineageDao;
import dev.ticklake.testing.Await;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's lifecycle hook with real transports: a JSON-lines file and a black hole. */
class LineageHookTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void fileTransportWritesOneJsonLinePerEventAndTriesAreRecorded() throws Exception {
    Path file = tmp.resolve("events/openlineage.jsonl");
    try (SchedulerHarness h = new SchedulerHarness(tmp)) {
      h.dag(
          "hello",
          "tasks:\n  - {task_id: a, pipeline: noop}\n  - {task_id: b, pipeline: noop, upstream: [a]}\n");
      Lineage lineage =
          new Lineage(LineageSettings.file(file), h.jdbi, new MetricRegistry(), Clock.systemUTC());
      Scheduler scheduler = h.scheduler();
      scheduler.setTaskLifecycleListener(lineage.listener());
      scheduler.start();
      DagRun run;
      try {
        run = scheduler.trigger("hello", null);
        assertThat(h.awaitRunEnd(run.runId(), Duration.ofSeconds(30)).state())
            .isEqualTo(DagRunState.SUCCESS);
      } finally {
        scheduler.stop();
        lineage.stop(); // sends what is queued
      }

      List<JsonNode> events = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        events.add(JSON.readTree(line));
      }
      assertThat(events)
          .extracting(e -> e.get("eventType").asText() + " " + e.at("/job/name").asText())
          .containsExactly(
              "START hello.a", "COMPLETE hello.a", "START hello.b", "COMPLETE hello.b");
      assertThat(events.get(0).at("/job/namespace").asText()).isEqualTo("ticklake");
      assertThat(events.get(0).at("/run/runId").asText())
          .isEqualTo(events.get(1).at("/run/runId").asText());
      assertThat(events.get(1).get("inputs")).isEmpty();

      LineageDao.TryRecord a =
          lineage.dao().find(new LineageDao.TryKey("hello", run.runId(), "a", 1)).orElseThrow();
      assertThat(a.outcome()).isEqualTo("OK");
      assertThat(a.lineage()).isEqualTo(TaskLineage.NONE);
      assertThat(a.olRunId()).isEqualTo(events.get(0).at("/run/runId").asText());
    }
  }

  @Test
  void aBlackHoleEndpointNeitherDelaysNorFailsTasks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    HttpServer blackHole = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    blackHole.createContext(
        "/api/v1/lineage",
        exchange -> {
          received.incrementAndGet();
          try {
            release.await(2, TimeUnit.MINUTES); // accepts, never answers while the test runs
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    blackHole.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    blackHole.start();
    Duration transportTimeout = Duration.ofSeconds(30);
    LineageSettings settings =
        LineageSettings.http(
                "http://127.0.0.1:" + blackHole.getAddress().getPort(), transportTimeout)
            .withQueueCapacity(2)
            .withCloseTimeout(Duration.ofMillis(200));
    try (SchedulerHarness h = new SchedulerHarness(tmp)) {
      h.dag(
          "chain",
          "tasks:\n  - {task_id: a, pipeline: noop}\n  - {task_id: b, pipeline: noop, upstream: [a]}\n"
              + "  - {task_id: c, pipeline: noop, upstream: [b]}\n");
      Lineage lineage = new Lineage(settings, h.jdbi, new MetricRegistry(), Clock.systemUTC());
      Scheduler scheduler = h.scheduler();
      scheduler.setTaskLifecycleListener(lineage.listener());
      scheduler.start();
      try {
        long started = System.nanoTime();
        DagRun run = scheduler.trigger("chain", null);
        DagRun done = h.awaitRunEnd(run.runId(), Duration.ofSeconds(25));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        // A blocking emitter would wait the transport timeout (30 s) at the first event already.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        Await.until(
            Duration.ofSeconds(10),
            "the first event to reach the black hole",
            received::get,
            n -> n == 1);
        // 6 events: 1 stuck in flight, 2 queued, 3 dropped (counted).
        assertThat(lineage.emitter().orElseThrow().droppedCount()).isEqualTo(3);
        assertThat(lineage.emitter().orElseThrow().emittedCount()).isZero();
        assertThat(lineage.dao().listByRun(run.runId(), Optional.empty())).hasSize(3);
      } finally {
        scheduler.stop();
        long stopping = System.nanoTime();
        lineage.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping))
            .as("shutdown bounded by closeTimeout, not by the endpoint")
            .isLessThan(Duration.ofSeconds(3));
        release.countDown();
        blackHole.stop(0);
      }
    }
  }
}

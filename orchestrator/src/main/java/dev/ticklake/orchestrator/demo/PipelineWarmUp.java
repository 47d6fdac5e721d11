package dev.ticklake.orchestrator.demo;

import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.ExecutorType;
import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.core.exec.Pipeline;
import dev.ticklake.orchestrator.core.exec.PipelineOutcome;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.RunContext;
import dev.ticklake.orchestrator.core.exec.RunnerSettings;
import dev.ticklake.transforms.util.Directories;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the in-process tasks of a DAG a few times on a <b>scratch lake and a scratch Kafka
 * topic</b>, so that the JVM has loaded and compiled their code (Beam, Kafka client, Delta, Hadoop,
 * Parquet) before the first real run. On 2 cores the demo's first medallion run took ~30 s cold
 * against ~4 s warm, and every event produced meanwhile waited for it.
 *
 * <p>Guarantees: nothing is read from or written to the real lake or topic. Each task runs through
 * the same {@link Pipelines} entry as the scheduler's in-process executor, with the task's own
 * options except that {@code lakeRoot} is the scratch lake and, for {@code ingest-bronze}, {@code
 * topic} is the scratch topic (and {@code bootstrapServers}, if the task sets it, the given
 * broker). The scratch topic receives {@code events} synthetic events in {@code rounds} equal
 * parts, each followed by one pass over the tasks (the first pass reads snapshots, the later ones
 * are incremental, as in steady state). The scratch lake and topic are deleted afterwards, also
 * when a task fails, and when the JVM exits meanwhile (Ctrl-C, SIGTERM: a shutdown hook ends the
 * warm-up after its current step and deletes the lake; only a SIGKILL leaves a {@code
 * warmup-lake-*} folder under {@code scratchParent}). A failure ends the warm-up early; it is
 * reported, never thrown: a cold first run is slower, not wrong. Subprocess tasks are left out
 * (they run in child JVMs, which this JVM's warmth does not help). Not thread-safe; run it once,
 * before the feed starts.
 */
public final class PipelineWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineWarmUp.class);
  static final String INGEST_PIPELINE = "ingest-bronze";

  /** How long the exit hook waits for the current warm-up step to end and clean up. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  private final Pipelines pipelines;
  private final RunnerSettings runner;
  private final String bootstrapServers;
  private final int partitions;
  static final String LAKE_PREFIX = "warmup-lake-";
  static final String TOPIC_PREFIX = "ticklake.warmup.";

  private final Path scratchParent;

  /**
   * @param bootstrapServers the broker that gets the scratch topic (the demo's embedded broker)
   * @param partitions partitions of the scratch topic (as the real topic's, so that the ingest
   *     reads as many ranges)
   * @param scratchParent directory under which the scratch lake is created (and deleted)
   */
  public PipelineWarmUp(
      Pipelines pipelines,
      RunnerSettings runner,
      String bootstrapServers,
      int partitions,
      Path scratchParent) {
    this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.partitions = partitions;
    this.scratchParent = Objects.requireNonNull(scratchParent, "scratchParent");
  }

  /** What a warm-up did: each step's wall time, and the error that ended it early (or null). */
  public record Report(List<Step> steps, Duration total, String error) {
    public boolean completed() {
      return error == null;
    }

    /** One line for the log, e.g. {@code 2 rounds in 14.2 s: ingest_bronze 6.1 s, 0.6 s; ...}. */
    @Override
    public String toString() {
      Map<String, List<String>> byTask = new LinkedHashMap<>();
      for (Step s : steps) {
        byTask
            .computeIfAbsent(s.taskId(), k -> new ArrayList<>())
            .add(String.format(Locale.ROOT, "%.1f s", s.wall().toMillis() / 1000.0));
      }
      StringBuilder sb =
          new StringBuilder(
              String.format(Locale.ROOT, "warm-up in %.1f s", total.toMillis() / 1000.0));
      byTask.forEach((task, times) -> sb.append("; ").append(task).append(' ').append(times));
      if (error != null) {
        sb.append("; ended early: ").append(error);
      }
      return sb.toString();
    }
  }

  /** One task run of the warm-up: round (1-based), task, wall time, outcome status and summary. */
  public record Step(int round, String taskId, Duration wall, String status, String summary) {}

  /** The tasks a warm-up runs: the DAG's in-process tasks, in topological order. */
  static List<TaskDefinition> tasksToWarm(DagDefinition dag) {
    return dag.topologicalOrder().stream()
        .filter(t -> t.executor() == ExecutorType.IN_PROCESS)
        .toList();
  }

  /**
   * A task's options for the warm-up: its own, with the lake (and the topic and broker of the
   * ingest) pointed at the scratch ones, so that a DAG file's options cannot make the warm-up touch
   * the real lake or topic.
   */
  static Map<String, String> scratchOptions(
      TaskDefinition task, String scratchLake, String scratchTopic, String bootstrapServers) {
    Map<String, String> options = new LinkedHashMap<>(task.options());
    options.computeIfPresent("lakeRoot", (k, v) -> scratchLake);
    options.computeIfPresent("bootstrapServers", (k, v) -> bootstrapServers);
    if (task.pipeline().equals(INGEST_PIPELINE)) {
      options.put("topic", scratchTopic);
    }
    return options;
  }

  /** Warms the DAG's in-process tasks with {@code events} events over {@code rounds} passes. */
  public Report run(DagDefinition dag, long events, int rounds) {
    if (events < rounds || rounds < 1) {
      throw new IllegalArgumentException(
          "warm-up needs rounds >= 1 and at least one event per round, got "
              + events
              + " events in "
              + rounds
              + " rounds");
    }
    long started = System.nanoTime();
    removeLeftovers();
    List<Step> steps = new ArrayList<>();
    String topic = TOPIC_PREFIX + Long.toHexString(System.nanoTime());
    KafkaSettings settings =
        KafkaSettings.of(bootstrapServers).withTopic(topic).withPartitions(partitions);
    Path lake = null;
    Thread cleanupOnExit = null;
    AtomicBoolean exiting = new AtomicBoolean();
    CountDownLatch cleanedUp = new CountDownLatch(1);
    String error = null;
    try {
      lake =
          Files.createTempDirectory(
              Files.createDirectories(scratchParent),
              LAKE_PREFIX + ProcessHandle.current().pid() + "-");
      cleanupOnExit = cleanupOnExit(lake, exiting, cleanedUp, EXIT_WAIT);
      Runtime.getRuntime().addShutdownHook(cleanupOnExit);
      Topics.ensureTopic(settings);
      long perRound = events / rounds;
      // In the past, so that no expectation drops them and the bars are closed minutes.
      Instant first = Instant.now().minusMillis(events + 60_000);
      for (int round = 1; round <= rounds; round++) {
        publish(settings, round, perRound, first.plusMillis((round - 1) * perRound));
        for (TaskDefinition task : tasksToWarm(dag)) {
          if (exiting.get()) {
            throw new IllegalStateException("the JVM is exiting");
          }
          steps.add(runTask(task, round, lake, topic));
        }
      }
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.warn("pipeline warm-up ended early (the first real run will be slower): {}", error, e);
    } finally {
      deleteTopic(settings);
      if (lake != null) {
        try {
          Directories.deleteRecursively(lake);
        } catch (UncheckedIOException e) {
          LOG.warn("{}", e.getMessage(), e.getCause());
        }
      }
      cleanedUp.countDown();
      if (cleanupOnExit != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
          // The JVM is already exiting: the hook runs and finds the lake gone.
        }
      }
    }
    return new Report(List.copyOf(steps), Duration.ofNanos(System.nanoTime() - started), error);
  }

  private void publish(KafkaSettings settings, int round, long count, Instant start) {
    SyntheticFeed feed = SyntheticFeed.builder().seed(round).count(count).start(start).build();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    FeedSummary sent = new FeedPublisher(settings, quiet, quiet).run(feed, 0, null);
    if (sent.sent() != count) {
      throw new IllegalStateException(
          "warm-up: sent " + sent.sent() + " of " + count + " events to " + settings.topic());
    }
  }

  private Step runTask(TaskDefinition task, int round, Path lake, String topic) throws Exception {
    Pipeline pipeline =
        pipelines
            .find(task.pipeline())
            .orElseThrow(
                () -> new IllegalStateException("unknown pipeline '" + task.pipeline() + "'"));
    RunContext ctx =
        new RunContext(
            lake.toString(),
            bootstrapServers,
            "warmup-" + round,
            task.taskId(),
            1,
            Instant.now(),
            runner);
    long t0 = System.nanoTime();
    PipelineOutcome outcome =
        pipeline.run(scratchOptions(task, lake.toString(), topic, bootstrapServers), ctx);
    return new Step(
        round,
        task.taskId(),
        Duration.ofNanos(System.nanoTime() - t0),
        outcome.status(),
        outcome.summary());
  }

  /**
   * Removes what a warm-up killed by SIGKILL left: scratch lakes of processes that are gone (a
   * running demo's own is kept: the pid in its name is alive) and warm-up topics on this broker
   * (the demo's own, which no other warm-up uses while this one starts).
   */
  void removeLeftovers() {
    if (Files.isDirectory(scratchParent)) {
      try (DirectoryStream<Path> lakes =
          Files.newDirectoryStream(scratchParent, LAKE_PREFIX + "*")) {
        for (Path lake : lakes) {
          if (!ownerAlive(lake.getFileName().toString())) {
            LOG.info("warm-up: removing the scratch lake {} of a process that is gone", lake);
            Directories.deleteRecursively(lake);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.warn(
            "warm-up: could not remove old scratch lakes under {}: {}",
            scratchParent,
            e.toString());
      }
    }
    try (Admin admin = Admin.create(KafkaSettings.of(bootstrapServers).adminProperties())) {
      List<String> old =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(TOPIC_PREFIX))
              .toList();
      if (!old.isEmpty()) {
        LOG.info("warm-up: removing {} warm-up topic(s) left by an earlier start", old.size());
        admin.deleteTopics(old).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("warm-up: could not remove old warm-up topics: {}", e.toString());
    }
  }

  /** Whether the process named in {@code warmup-lake-<pid>-<random>} is alive (unknown: yes). */
  static boolean ownerAlive(String lakeName) {
    String rest = lakeName.substring(LAKE_PREFIX.length());
    int dash = rest.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false; // an older name without a pid: from before this start, so not running
    }
  }

  private static void deleteTopic(KafkaSettings settings) {
    try (Admin admin = Admin.create(settings.adminProperties())) {
      admin.deleteTopics(List.of(settings.topic())).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Left behind on the demo's broker only; it holds a few thousand synthetic events.
      LOG.warn("could not delete the warm-up topic {}: {}", settings.topic(), e.toString());
    }
  }

  /**
   * A shutdown hook for a JVM that exits during the warm-up (Ctrl-C, SIGTERM): the warm-up keeps
   * writing to the scratch lake until the JVM halts, so deleting it at once would race with the
   * writes. The hook sets {@code exiting}, which ends the warm-up after its current step, waits up
   * to {@code wait} for the warm-up's own clean-up ({@code cleanedUp}), then deletes what is left.
   */
  static Thread cleanupOnExit(
      Path lake, AtomicBoolean exiting, CountDownLatch cleanedUp, Duration wait) {
    return new Thread(
        () -> {
          exiting.set(true);
          try {
            cleanedUp.await(wait.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          try {
            Directories.deleteRecursively(lake);
          } catch (UncheckedIOException e) {
            // Already deleted by the warm-up, or exiting with nobody left to report to.
          }
        },
        "ticklake-warmup-cleanup");
  }
}

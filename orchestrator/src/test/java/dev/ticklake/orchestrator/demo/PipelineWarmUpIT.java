package dev.ticklake.orchestrator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.dag.DagLoadResult;
import dev.ticklake.orchestrator.core.dag.DagLoader;
import dev.ticklake.orchestrator.core.dag.TaskDefinition;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.exec.RunnerSettings;
import dev.ticklake.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineWarmUpIT {

  @TempDir Path tmp;

  private static DagDefinition dag(String yaml) {
    DagLoadResult r =
        new DagLoader(Pipelines.standard())
            .loadOne("test.yml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(r.errors()).isEmpty();
    return r.dags().get(0);
  }

  private static DagDefinition shippedMedallion() {
    return new DagLoader(Pipelines.standard())
        .load(Optional.empty(), true).dags().stream()
            .filter(d -> d.dagId().equals("medallion"))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void scratchOptionsPointTheLakeTopicAndBrokerAwayFromTheRealOnes() {
    DagDefinition d =
        dag(
            """
            dag_id: d
            schedule: none
            tasks:
              - task_id: ingest
                pipeline: ingest-bronze
                options: {maxRecordsPerBatch: 500000, lakeRoot: /real/lake, topic: market.ticks,
                          bootstrapServers: "real:9092"}
              - task_id: silver
                pipeline: refine-silver
                upstream: [ingest]
                options: {expectationAction: "positive_prices=fail"}
            """);
    TaskDefinition ingest = d.task("ingest").orElseThrow();
    TaskDefinition silver = d.task("silver").orElseThrow();
    assertThat(PipelineWarmUp.scratchOptions(ingest, "/tmp/scratch", "ticklake.warmup.1", "b:1"))
        .containsExactly(
            Map.entry("maxRecordsPerBatch", "500000"),
            Map.entry("lakeRoot", "/tmp/scratch"),
            Map.entry("topic", "ticklake.warmup.1"),
            Map.entry("bootstrapServers", "b:1"));
    // No topic for the other jobs (Beam would reject an unknown option), lakeRoot only via context.
    assertThat(PipelineWarmUp.scratchOptions(silver, "/tmp/scratch", "ticklake.warmup.1", "b:1"))
        .containsExactly(Map.entry("expectationAction", "positive_prices=fail"));
  }

  @Test
  void onlyInProcessTasksAreWarmedInTopologicalOrder() {
    DagDefinition d =
        dag(
            """
            dag_id: d
            schedule: none
            tasks:
              - task_id: c
                pipeline: noop
                upstream: [b]
              - task_id: b
                pipeline: noop
                upstream: [a]
                executor: subprocess
              - task_id: a
                pipeline: noop
            """);
    assertThat(PipelineWarmUp.tasksToWarm(d).stream().map(TaskDefinition::taskId))
        .containsExactly("a", "c");
  }

  @Test
  void theExitHookStopsTheWarmUpWaitsForItsCleanUpAndDeletesWhatIsLeft() throws Exception {
    Path lake = Files.createDirectories(tmp.resolve("warmup-lake-1/silver/ticks/_delta_log"));
    Files.writeString(lake.resolve("00000000000000000000.json"), "{}");
    AtomicBoolean exiting = new AtomicBoolean();
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Thread hook =
        PipelineWarmUp.cleanupOnExit(
            tmp.resolve("warmup-lake-1"), exiting, cleanedUp, Duration.ofSeconds(60));
    hook.start(); // what the JVM does on SIGTERM or Ctrl-C during the warm-up
    Await.until(Duration.ofSeconds(30), "the warm-up to be told to stop", exiting::get);
    // The warm-up is still writing its current step: the hook waits for it.
    Files.writeString(tmp.resolve("warmup-lake-1/silver/ticks/part-0.parquet"), "x");
    assertThat(hook.isAlive()).isTrue();
    cleanedUp.countDown();
    hook.join(Duration.ofSeconds(30).toMillis());
    assertThat(hook.isAlive()).isFalse();
    assertThat(tmp.resolve("warmup-lake-1")).doesNotExist();
  }

  @Test
  void theExitHookGivesUpWaitingAfterItsLimitAndToleratesALakeAlreadyGone() throws Exception {
    Files.createDirectories(tmp.resolve("warmup-lake-2/bronze"));
    Thread hook =
        PipelineWarmUp.cleanupOnExit(
            tmp.resolve("warmup-lake-2"),
            new AtomicBoolean(),
            new CountDownLatch(1), // the warm-up never reports back
            Duration.ofMillis(200));
    hook.run();
    assertThat(tmp.resolve("warmup-lake-2")).doesNotExist();
    PipelineWarmUp.cleanupOnExit(
            tmp.resolve("warmup-lake-2"),
            new AtomicBoolean(),
            new CountDownLatch(0),
            Duration.ofMillis(200))
        .run();
    assertThat(tmp.resolve("warmup-lake-2")).doesNotExist();
  }

  @Test
  void rejectsFewerEventsThanRounds() {
    PipelineWarmUp w =
        new PipelineWarmUp(Pipelines.standard(), RunnerSettings.DIRECT, "127.0.0.1:1", 2, tmp);
    assertThatThrownBy(() -> w.run(shippedMedallion(), 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "warm-up needs rounds >= 1 and at least one event per round, got 1 events in 2 rounds");
    assertThatThrownBy(() -> w.run(shippedMedallion(), 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new PipelineWarmUp(Pipelines.standard(), RunnerSettings.DIRECT, "x:1", 0, tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("partitions must be >= 1, got 0");
  }

  @Test
  void warmsTheShippedMedallionOnAScratchLakeAndTopicAndLeavesNothingBehind() throws Exception {
    Path scratch = tmp.resolve("scratch");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaSettings real = KafkaSettings.of(kafka.bootstrapServers());
      Topics.ensureTopic(real); // the demo's topic exists and must stay empty and untouched
      PipelineWarmUp.Report report =
          new PipelineWarmUp(
                  Pipelines.standard(), RunnerSettings.DIRECT, kafka.bootstrapServers(), 2, scratch)
              .run(shippedMedallion(), 600, 2);

      assertThat(report.error()).isNull();
      assertThat(report.completed()).isTrue();
      assertThat(report.steps())
          .extracting(s -> s.round() + "/" + s.taskId() + ":" + s.status())
          .containsExactly(
              "1/ingest_bronze:COMMITTED",
              "1/refine_silver:COMMITTED",
              "1/build_gold:COMMITTED",
              "2/ingest_bronze:COMMITTED",
              "2/refine_silver:COMMITTED",
              "2/build_gold:COMMITTED");
      // Each round ingests exactly its own 300 events (the second one incrementally).
      assertThat(report.steps().get(0).summary()).contains("at version 0 (300 rows");
      assertThat(report.steps().get(3).summary()).contains("at version 1 (300 rows");
      assertThat(report.toString()).startsWith("warm-up in ").contains("; ingest_bronze [");

      try (Stream<Path> left = Files.list(scratch)) {
        assertThat(left).as("scratch lake deleted").isEmpty();
      }
      assertThat(tmp.resolve("lake")).doesNotExist();
      try (Topics topics = Topics.connect(real)) {
        Set<String> names =
            Await.until(
                Duration.ofSeconds(30),
                "the warm-up topic to be deleted",
                topics::listTopics,
                all -> all.stream().noneMatch(n -> n.startsWith("ticklake.warmup.")));
        assertThat(names).as("warm-up topic deleted").containsExactly("market.ticks");
      }
      assertThat(endOffsets(kafka.bootstrapServers())).containsOnly(0L);
    }
  }

  @Test
  void aFailingTaskEndsTheWarmUpEarlyWithoutThrowingAndStillCleansUp() throws Exception {
    Path scratch = tmp.resolve("scratch");
    DagDefinition d =
        dag(
            """
            dag_id: d
            schedule: none
            tasks:
              - task_id: ok
                pipeline: noop
              - task_id: broken
                pipeline: fail
                upstream: [ok]
              - task_id: after
                pipeline: noop
                upstream: [broken]
            """);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      PipelineWarmUp.Report report =
          new PipelineWarmUp(
                  Pipelines.standard(), RunnerSettings.DIRECT, kafka.bootstrapServers(), 1, scratch)
              .run(d, 10, 2);
      assertThat(report.completed()).isFalse();
      assertThat(report.error())
          .isEqualTo("IllegalStateException: fail pipeline: failing try 1 on purpose");
      assertThat(report.steps()).extracting(PipelineWarmUp.Step::taskId).containsExactly("ok");
      assertThat(report.toString()).contains("; ended early: IllegalStateException");
      try (Stream<Path> left = Files.list(scratch)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void leftoversOfAKilledStartAreRemovedButARunningDemosLakeIsKept() throws Exception {
    Path scratch = tmp.resolve("scratch");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path deadLake = Files.createDirectories(scratch.resolve("warmup-lake-" + gone.pid() + "-1"));
    Files.writeString(deadLake.resolve("part-0.parquet"), "left by a SIGKILL");
    Path oldName = Files.createDirectories(scratch.resolve("warmup-lake-1234567890123"));
    Path liveLake =
        Files.createDirectories(
            scratch.resolve("warmup-lake-" + ProcessHandle.current().pid() + "-2"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaSettings real = KafkaSettings.of(kafka.bootstrapServers());
      Topics.ensureTopic(real);
      Topics.ensureTopic(real.withTopic("ticklake.warmup.dead"));

      new PipelineWarmUp(
              Pipelines.standard(), RunnerSettings.DIRECT, kafka.bootstrapServers(), 1, scratch)
          .removeLeftovers();

      assertThat(deadLake).doesNotExist();
      assertThat(oldName).doesNotExist();
      assertThat(liveLake).isDirectory();
      try (Topics topics = Topics.connect(real)) {
        Set<String> names =
            Await.until(
                Duration.ofSeconds(30),
                "the old warm-up topic to be deleted",
                topics::listTopics,
                all -> all.stream().noneMatch(n -> n.startsWith("ticklake.warmup.")));
        assertThat(names).containsExactly("market.ticks");
      }
    }
  }

  private static List<Long> endOffsets(String bootstrap) {
    Map<String, Object> p =
        Map.of(
            "bootstrap.servers", bootstrap,
            "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
      var partitions =
          consumer.partitionsFor("market.ticks").stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
              .toList();
      return List.copyOf(consumer.endOffsets(partitions).values());
    }
  }
}

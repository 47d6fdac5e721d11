package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.FeedPublisher;
import dev.ticklake.feeds.FeedSummary;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka, a few hundred synthetic events, the shipped medallion DAG triggered by hand. */
class MedallionEndToEndIT {

  @TempDir Path tmp;

  @Test
  void aManualMedallionRunLandsGoldBars() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SchedulerHarness h = new SchedulerHarness(tmp)) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
      Topics.ensureTopic(settings);
      SyntheticFeed feed =
          SyntheticFeed.builder()
              .seed(7)
              .count(400)
              .start(Instant.parse("2026-01-05T14:30:00Z"))
              .build();
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      FeedSummary sent = new FeedPublisher(settings, quiet, quiet).run(feed, 0, null);
      assertThat(sent.sent()).isEqualTo(400);

      SchedulerSettings s =
          h.settings().withBootstrapServers(kafka.bootstrapServers()).withLoadShippedDags(true);
      Scheduler scheduler = new Scheduler(h.jdbi, Pipelines.standard(), s, Clock.systemUTC());
      scheduler.refreshDags();
      new DagDao(h.jdbi).setPaused("medallion", true); // only the manual run
      scheduler.start();
      try {
        DagRun run = scheduler.trigger("medallion", "{}");
        DagRun done = h.awaitRunEnd(run.runId(), Duration.ofMinutes(3));
        assertThat(done.state())
            .as("tasks %s", h.states(run.runId()))
            .isEqualTo(DagRunState.SUCCESS);
        assertThat(h.states(run.runId()))
            .containsOnly(
                Map.entry("ingest_bronze", TaskState.SUCCESS),
                Map.entry("refine_silver", TaskState.SUCCESS),
                Map.entry("build_gold", TaskState.SUCCESS));
        assertThat(h.logs.find(run.runId(), "ingest_bronze", 1).orElseThrow())
            .contains("status COMMITTED");
      } finally {
        scheduler.stop();
      }
      List<Map<String, Object>> bars =
          KernelTableReader.of(TableCatalog.GOLD_BARS_1M.location(s.lakeRoot())).readLatest();
      assertThat(bars).isNotEmpty();
      assertThat(bars.get(0)).containsKeys("symbol");
    }
  }
}

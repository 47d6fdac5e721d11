package dev.ticklake.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code ticklake feed ...} through Dropwizard's CLI against an embedded broker. */
class FeedCommandIT {

  private static EmbeddedKafka kafka;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private Optional<Throwable> ticklake(String... args) {
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    Bootstrap<TickLakeConfiguration> bootstrap = new Bootstrap<>(new TickLakeApplication());
    bootstrap.addCommand(new FeedCommand(stdout, stderr));
    return new Cli(new JarLocation(getClass()), bootstrap, stdout, stderr).run(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void syntheticFeedCreatesTheTopicPublishesAndPrintsTheSummary() {
    Optional<Throwable> failure =
        ticklake(
            "feed", "synthetic",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--topic", "cli.ticks",
            "--partitions", "3",
            "--count", "250",
            "--rate", "0",
            "--seed", "5",
            "--producer-property", "client.id=feed-command-test");

    assertThat(failure).isEmpty();
    String[] lines = stdout().split("\n");
    assertThat(lines[0]).isEqualTo("created topic cli.ticks with 3 partitions");
    assertThat(lines[lines.length - 1])
        .matches(
            "feed synthetic done: 250 events sent to cli\\.ticks in \\d+\\.\\d s \\(\\d+/s\\),"
                + " 0 errors, 0 skipped");
    assertThat(stderr()).isEmpty();
    try (Topics topics =
        Topics.connect(KafkaSettings.of(kafka.bootstrapServers()).withTopic("cli.ticks"))) {
      Map<TopicPartition, Long> ends = topics.endOffsets();
      assertThat(ends).hasSize(3);
      assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(250);
    }
  }

  @Test
  void historyFeedPublishesDailyBarsOfTradingDays() {
    Optional<Throwable> failure =
        ticklake(
            "feed", "history",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--topic", "history.ticks",
            "--symbols", "2",
            "--years", "1",
            "--end", "2025-12-31");

    assertThat(failure).isEmpty();
    // 2025 has 261 weekdays (52 weeks and one Wednesday), two symbols each.
    assertThat(stdout()).contains("feed synthetic done: 522 events sent to history.ticks in ");
    assertThat(stderr()).isEmpty();
    try (Topics topics =
        Topics.connect(KafkaSettings.of(kafka.bootstrapServers()).withTopic("history.ticks"))) {
      assertThat(topics.endOffsets().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(522);
    }
  }

  @Test
  void historyFeedRejectsABadEndDate() {
    Optional<Throwable> failure =
        ticklake(
            "feed", "history", "--bootstrap-servers", kafka.bootstrapServers(), "--end", "soon");

    assertThat(failure).isPresent();
    assertThat(stderr())
        .isEqualTo("ticklake feed: --end must be a date like 2025-12-31, got soon\n");
  }

  @Test
  void aUserErrorIsOneLineWithoutAStackTrace(@TempDir Path dir) {
    Path missing = dir.resolve("missing.csv");

    Optional<Throwable> failure =
        ticklake(
            "feed",
            "csv",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--file",
            missing.toString(),
            "--symbol",
            "AAPL");

    assertThat(failure).isPresent();
    assertThat(stderr()).isEqualTo("ticklake feed: csv: file not found: " + missing + "\n");
  }

  @Test
  void badCsvLinesAreReportedAndMakeTheRunFail(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("aapl.csv"),
            "Date,Open,High,Low,Close,Adj Close,Volume\n"
                + "2024-01-02,187.15,188.44,183.89,185.64,185.15,82488700\n"
                + "2024-01-03,184.22,null,null,null,null,null\n");

    Optional<Throwable> failure =
        ticklake(
            "feed", "csv",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--topic", "csv.ticks",
            "--file", file.toString(),
            "--symbol", "AAPL");

    assertThat(failure).isPresent();
    assertThat(stdout()).contains("feed csv done: 1 events sent to csv.ticks in ");
    assertThat(stderr())
        .isEqualTo(
            "line 3: high is null (skipped)\n"
                + "ticklake feed: 1 errors while feeding csv (see above)\n");
  }

  @Test
  void theApplicationRegistersTheFeedCommand() {
    Bootstrap<TickLakeConfiguration> bootstrap = new Bootstrap<>(new TickLakeApplication());
    new TickLakeApplication().initialize(bootstrap);

    assertThat(bootstrap.getCommands()).anyMatch(c -> c.getName().equals("feed"));
  }
}

package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class FeedPublisherTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());

  private FeedPublisher publisher(Duration progressEvery) {
    return new FeedPublisher(
        producer,
        "market.ticks",
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        progressEvery);
  }

  @Test
  void sendsEveryItemWithItsKeyAndValueInOrderAndSummarises() {
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .seed(1)
            .count(50)
            .start(Instant.parse("2024-01-02T14:30:00Z"))
            .faults(new SyntheticFeed.Faults(0.1, 0.1, 0.1, 0.1))
            .build();
    List<FeedItem> expected = iterate(feed);

    FeedSummary summary = publisher(Duration.ofSeconds(2)).run(feed, 0, null);

    List<ProducerRecord<byte[], byte[]>> history = producer.history();
    assertThat(history).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(history.get(i).topic()).isEqualTo("market.ticks");
      assertThat(history.get(i).key()).isEqualTo(expected.get(i).key());
      assertThat(history.get(i).value()).isEqualTo(expected.get(i).value());
    }
    assertThat(summary.sent()).isEqualTo(50);
    assertThat(summary.errors()).isZero();
    assertThat(summary.stopped()).isFalse();
    assertThat(summary.line())
        .matches(
            "feed synthetic done: 50 events sent to market\\.ticks in \\d+\\.\\d s \\(\\d+/s\\),"
                + " 0 errors, 0 skipped");
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void maxRecordsLimitsAnUnboundedFeed() {
    SyntheticFeed feed = SyntheticFeed.builder().seed(1).build();

    FeedSummary summary = publisher(Duration.ofSeconds(2)).run(feed, 123, null);

    assertThat(summary.sent()).isEqualTo(123);
    assertThat(producer.history()).hasSize(123);
  }

  @Test
  void feedProblemsAreCountedAndPrinted() {
    Feed feed =
        new Feed() {
          @Override
          public String source() {
            return "test";
          }

          @Override
          public Iterator<FeedItem> open(Consumer<FeedProblem> problems) {
            problems.accept(FeedProblem.error("line 3", "high is null"));
            problems.accept(FeedProblem.skipped("2024-01-02T14:31:00Z", "Yahoo has null values"));
            return List.<FeedItem>of().iterator();
          }

          @Override
          public Pacing pacing() {
            return Pacing.none();
          }
        };

    FeedSummary summary = publisher(Duration.ofSeconds(2)).run(feed, 0, null);

    assertThat(summary.errors()).isEqualTo(1);
    assertThat(summary.skipped()).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "line 3: high is null (skipped)\n"
                + "2024-01-02T14:31:00Z: Yahoo has null values (skipped)\n");
  }

  @Test
  void stopEndsAPacedRunCleanlyAndProgressIsPrinted() throws Exception {
    // 20 events/s forever: only stop() ends it.
    SyntheticFeed feed = SyntheticFeed.builder().seed(1).rate(20).build();
    FeedPublisher publisher = publisher(Duration.ofMillis(50));
    CompletableFuture<FeedSummary> run =
        CompletableFuture.supplyAsync(() -> publisher.run(feed, 0, null));

    Await.until(
        Duration.ofSeconds(20),
        "3 events sent and a progress line printed",
        () ->
            producer.history().size() >= 3
                && out.toString(StandardCharsets.UTF_8).contains("sent"));
    publisher.stop();

    FeedSummary summary = run.get(10, TimeUnit.SECONDS);
    assertThat(summary.stopped()).isTrue();
    assertThat(summary.sent()).isEqualTo(producer.history().size()).isGreaterThanOrEqualTo(3);
    assertThat(summary.line()).startsWith("feed synthetic stopped: ");
    assertThat(producer.closed()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern("feed synthetic: \\d+ sent, \\d+/s, 0 errors, \\d+\\.\\d s elapsed");
  }

  private static List<FeedItem> iterate(SyntheticFeed feed) {
    List<FeedItem> items = new java.util.ArrayList<>();
    feed.items().forEachRemaining(items::add);
    return items;
  }
}

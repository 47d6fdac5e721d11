package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A synthetic run with faults, published to the embedded broker and consumed back. */
class FeedToKafkaIT {

  @Test
  void consumesExactlyThePublishedPayloadsPerKeyInOrder() throws Exception {
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .seed(3)
            .count(1000)
            .start(Instant.parse("2024-01-02T14:30:00Z"))
            .faults(new SyntheticFeed.Faults(0.02, 0.02, 0.02, 0.02))
            .build();
    Map<String, List<String>> expected = byKey(feed);

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
      assertThat(Topics.ensureTopic(settings).message())
          .isEqualTo("created topic market.ticks with 2 partitions");
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);

      FeedSummary summary = new FeedPublisher(settings, quiet, quiet).run(feed, 0, null);
      assertThat(summary.sent()).isEqualTo(1000);
      assertThat(summary.errors()).isZero();
      Map<String, List<String>> consumed = consume(settings, 1000);
      assertThat(consumed).isEqualTo(expected);
    }
  }

  private static Map<String, List<String>> byKey(SyntheticFeed feed) {
    Map<String, List<String>> byKey = new HashMap<>();
    feed.items()
        .forEachRemaining(
            item ->
                byKey
                    .computeIfAbsent(item.keyAsString(), k -> new ArrayList<>())
                    .add(item.valueAsString()));
    return byKey;
  }

  /** Reads every partition from the start until {@code expected} records or a 30 s deadline. */
  private static Map<String, List<String>> consume(KafkaSettings settings, int expected)
      throws Exception {
    Map<String, List<String>> byKey = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(settings.consumerProperties());
        Topics topics = Topics.connect(settings)) {
      List<TopicPartition> partitions = topics.partitionsFor();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Await.until(
          Duration.ofSeconds(30),
          expected + " records read back",
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              byKey
                  .computeIfAbsent(
                      new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                  .add(new String(r.value(), StandardCharsets.UTF_8));
            }
            return byKey.values().stream().mapToInt(List::size).sum();
          },
          count -> count >= expected);
      long total = topics.endOffsets().values().stream().mapToLong(Long::longValue).sum();
      assertThat(total).as("records on the topic").isEqualTo(expected);
    }
    return byKey;
  }
}

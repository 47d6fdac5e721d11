package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.IngestBronzeJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bronze's lag behind a real broker, before and after the real ingest job. */
class KafkaLagIT {
  static final String TOPIC = "lag.ticks";
  static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
    Topics.ensureTopic(
        KafkaSettings.of(kafka.bootstrapServers()).withTopic(TOPIC).withPartitions(2));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  static void produce(int partition, int count) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(
                TOPIC,
                partition,
                "AAPL",
                "{\"symbol\":\"AAPL\",\"ts\":\"2026-11-19T14:00:0"
                    + i
                    + "Z\",\"price\":100,\"volume\":1}"));
      }
      producer.flush();
    }
  }

  @Test
  void lagIsEndOffsetMinusWhatBronzeCommitted() {
    String lakeRoot = dir.resolve("lake").toString();
    KafkaLag lag =
        new KafkaLag(
            kafka.bootstrapServers(),
            TOPIC,
            new LakeReader(lakeRoot, 1 << 20),
            Duration.ofSeconds(10));
    produce(0, 3);
    produce(1, 2);
    assertThat(lag.lag().rows())
        .extracting(List::of)
        .containsExactly(List.of(TOPIC, 0, 3L, 0L, 3L), List.of(TOPIC, 1, 2L, 0L, 2L));

    IngestBronzeJob.Result ingest =
        IngestBronzeJob.run(
            PipelineOptionsFactory.fromArgs(
                    "--lakeRoot=" + lakeRoot,
                    "--runId=lag-1",
                    "--bootstrapServers=" + kafka.bootstrapServers(),
                    "--topic=" + TOPIC)
                .as(IngestBronzeJob.Options.class));
    assertThat(ingest.status()).isEqualTo(BatchStatus.COMMITTED);
    produce(1, 4);
    assertThat(lag.lag().rows())
        .extracting(List::of)
        .containsExactly(List.of(TOPIC, 0, 3L, 3L, 0L), List.of(TOPIC, 1, 6L, 2L, 4L));
  }

  @Test
  void anUnreachableBrokerIsA503NamingIt() {
    KafkaLag lag =
        new KafkaLag(
            "127.0.0.1:1", TOPIC, new LakeReader(dir.toString(), 1 << 20), Duration.ofMillis(500));
    assertThatThrownBy(lag::lag)
        .isInstanceOfSatisfying(
            ServingRequestException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageStartingWith(
            "cannot read the end offsets of topic 'lag.ticks' from Kafka at 127.0.0.1:1 within 500 ms");
  }
}

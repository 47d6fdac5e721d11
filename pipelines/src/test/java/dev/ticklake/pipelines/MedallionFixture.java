package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.KernelTableReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The medallion end-to-end tests' shared steps: a fault-injected synthetic feed published to a
 * topic, then bronze → silver → gold run into a lake, and gold read back with Delta Kernel.
 */
final class MedallionFixture {
  /** Events the feed publishes (3000 events 100 ms apart: 5 minutes of 3 symbols). */
  static final int EVENTS = 3000;

  /** The gold tables the medallion writes. */
  static final List<TableDef> GOLD =
      List.of(
          TableCatalog.GOLD_BARS_1M,
          TableCatalog.GOLD_BARS_1D,
          TableCatalog.GOLD_ANOMALIES,
          TableCatalog.GOLD_DAILY_METRICS);

  private MedallionFixture() {}

  /** Publishes the feed to a new 2-partition topic; returns how many of its events are valid. */
  static long publishFeed(String bootstrapServers, String topic) {
    KafkaSettings settings = KafkaSettings.of(bootstrapServers).withTopic(topic).withPartitions(2);
    Topics.ensureTopic(settings);
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .symbols(List.of("AAPL", "MSFT", "TSLA"))
            .rate(10)
            .count(EVENTS)
            .seed(11)
            .start(Instant.parse("2026-11-19T20:00:00Z"))
            .faults(new SyntheticFeed.Faults(0.02, 0.02, 0.02, 0.02))
            .build();
    long validEvents = 0;
    Properties props = new Properties();
    props.putAll(settings.producerProperties());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Iterator<FeedItem> it = feed.items(); it.hasNext(); ) {
        FeedItem item = it.next();
        producer.send(new ProducerRecord<>(settings.topic(), item.key(), item.value()));
        if (item.kind() == FeedItem.Kind.NORMAL || item.kind() == FeedItem.Kind.OUT_OF_ORDER) {
          validEvents++;
        }
      }
    }
    return validEvents;
  }

  /** Runs bronze, silver and gold once each into {@code lakeRoot}; each must commit. */
  static void run(String bootstrapServers, String topic, String lakeRoot, String... extraArgs) {
    List<String> common = new ArrayList<>(List.of(extraArgs));
    common.add("--lakeRoot=" + lakeRoot);
    List<String> ingest = new ArrayList<>(common);
    ingest.add("--bootstrapServers=" + bootstrapServers);
    ingest.add("--topic=" + topic);
    assertThat(IngestBronzeJob.run(options(ingest, IngestBronzeJob.Options.class)).status())
        .isEqualTo(BatchStatus.COMMITTED);
    assertThat(RefineSilverJob.run(options(common, RefineSilverJob.Options.class)).status())
        .isEqualTo(BatchStatus.COMMITTED);
    assertThat(BuildGoldJob.run(options(common, BuildGoldJob.Options.class)).status())
        .isEqualTo(BatchStatus.COMMITTED);
  }

  /** A table's rows read with Delta Kernel, sorted by its key columns. */
  static List<Map<String, Object>> sorted(TableDef table, String lakeRoot, Configuration conf) {
    return KernelTableReader.sorted(
        KernelTableReader.of(table.location(lakeRoot), conf).readLatest(),
        table.keyColumns().toArray(new String[0]));
  }

  private static <T extends TickLakeOptions> T options(List<String> args, Class<T> type) {
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(type);
  }
}

package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.KernelTableReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole medallion on a real embedded broker: a fault-injected synthetic feed → Kafka → bronze →
 * silver → gold, once on the DirectRunner and once on FlinkRunner {@code [local]}, each into its
 * own lake. Both lakes must hold identical gold rows (checked with Delta Kernel), and silver
 * exactly the feed's valid events.
 */
class MedallionEndToEndIT {
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void kafkaToGoldGivesIdenticalGoldOnDirectAndFlink() throws Exception {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers()).withTopic("e2e.ticks").withPartitions(2);
    Topics.ensureTopic(settings);
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .symbols(List.of("AAPL", "MSFT", "TSLA"))
            .rate(10)
            .count(3000)
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

    String direct = dir.resolve("lake-direct").toString();
    String flink = dir.resolve("lake-flink").toString();
    runMedallion(direct, "--runner=DirectRunner");
    long flinkJobsBefore = LocalFlinkCluster.stats().sharedJobs();
    runMedallion(flink, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    // [local] runs Bronze, Silver and Gold on the JVM's one shared embedded cluster.
    assertThat(LocalFlinkCluster.stats().sharedJobs() - flinkJobsBefore).isEqualTo(3);

    assertThat(KernelTableReader.of(TableCatalog.BRONZE_TICKS.location(direct)).readLatest())
        .hasSize(3000);
    assertThat(KernelTableReader.of(TableCatalog.SILVER_TICKS.location(direct)).readLatest())
        .hasSize((int) validEvents);
    assertThat(KernelTableReader.of(TableCatalog.SILVER_TICKS.location(flink)).readLatest())
        .hasSize((int) validEvents);
    assertThat(KernelTableReader.of(TableCatalog.SILVER_QUARANTINE.location(direct)).readLatest())
        .isNotEmpty();
    for (TableDef gold :
        List.of(
            TableCatalog.GOLD_BARS_1M,
            TableCatalog.GOLD_BARS_1D,
            TableCatalog.GOLD_ANOMALIES,
            TableCatalog.GOLD_DAILY_METRICS)) {
      List<Map<String, Object>> onDirect = sorted(gold, direct);
      List<Map<String, Object>> onFlink = sorted(gold, flink);
      assertThat(onFlink).as(gold.id()).isEqualTo(onDirect);
      if (gold != TableCatalog.GOLD_ANOMALIES) {
        assertThat(onDirect).as(gold.id()).isNotEmpty();
      }
    }
    // 3000 events 100 ms apart: 5 minutes, so 5-6 one-minute bars per symbol.
    assertThat(sorted(TableCatalog.GOLD_BARS_1M, direct)).hasSizeBetween(15, 18);
  }

  private static List<Map<String, Object>> sorted(TableDef table, String lakeRoot) {
    List<String> keys = new ArrayList<>(table.keyColumns());
    return KernelTableReader.sorted(
        KernelTableReader.of(table.location(lakeRoot)).readLatest(), keys.toArray(new String[0]));
  }

  private void runMedallion(String lakeRoot, String... runnerArgs) {
    List<String> common = new ArrayList<>(List.of(runnerArgs));
    common.add("--lakeRoot=" + lakeRoot);
    List<String> ingest = new ArrayList<>(common);
    ingest.add("--bootstrapServers=" + kafka.bootstrapServers());
    ingest.add("--topic=e2e.ticks");
    assertThat(
            IngestBronzeJob.run(
                    PipelineOptionsFactory.fromArgs(ingest.toArray(new String[0]))
                        .as(IngestBronzeJob.Options.class))
                .status())
        .isEqualTo(BatchStatus.COMMITTED);
    assertThat(
            RefineSilverJob.run(
                    PipelineOptionsFactory.fromArgs(common.toArray(new String[0]))
                        .as(RefineSilverJob.Options.class))
                .status())
        .isEqualTo(BatchStatus.COMMITTED);
    assertThat(
            BuildGoldJob.run(
                    PipelineOptionsFactory.fromArgs(common.toArray(new String[0]))
                        .as(BuildGoldJob.Options.class))
                .status())
        .isEqualTo(BatchStatus.COMMITTED);
  }
}

package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.KernelTableReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
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
    long validEvents = MedallionFixture.publishFeed(kafka.bootstrapServers(), "e2e.ticks");

    String direct = dir.resolve("lake-direct").toString();
    String flink = dir.resolve("lake-flink").toString();
    runMedallion(direct, "--runner=DirectRunner");
    long flinkJobsBefore = LocalFlinkCluster.stats().sharedJobs();
    runMedallion(flink, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    // [local] runs Bronze, Silver and Gold on the JVM's one shared embedded cluster.
    assertThat(LocalFlinkCluster.stats().sharedJobs() - flinkJobsBefore).isEqualTo(3);

    assertThat(KernelTableReader.of(TableCatalog.BRONZE_TICKS.location(direct)).readLatest())
        .hasSize(MedallionFixture.EVENTS);
    assertThat(KernelTableReader.of(TableCatalog.SILVER_TICKS.location(direct)).readLatest())
        .hasSize((int) validEvents);
    assertThat(KernelTableReader.of(TableCatalog.SILVER_TICKS.location(flink)).readLatest())
        .hasSize((int) validEvents);
    assertThat(KernelTableReader.of(TableCatalog.SILVER_QUARANTINE.location(direct)).readLatest())
        .isNotEmpty();
    for (TableDef gold : MedallionFixture.GOLD) {
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
    return MedallionFixture.sorted(table, lakeRoot, new Configuration());
  }

  private void runMedallion(String lakeRoot, String... runnerArgs) {
    MedallionFixture.run(kafka.bootstrapServers(), "e2e.ticks", lakeRoot, runnerArgs);
  }
}

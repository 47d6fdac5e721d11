package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.servers.hdfs.HdfsServer;
import dev.ticklake.servers.s3.S3Server;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.delta.HadoopSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The medallion (Kafka → bronze → silver → gold, DirectRunner) with the lake on a real HDFS and on
 * an S3-compatible server through s3a, each in its own JVM: every table is read back with Delta
 * Kernel from the same URI, and gold must equal gold of the same feed on the local disk.
 */
class MedallionOnHdfsAndS3IT {
  private static final String TOPIC = "storage.ticks";
  private static final String BUCKET = "ticklake";

  @TempDir static Path servers;
  private static EmbeddedKafka kafka;
  private static HdfsServer hdfs;
  private static S3Server s3;

  @TempDir Path dir;

  @BeforeAll
  static void startServers() {
    kafka = EmbeddedKafka.start();
    hdfs = HdfsServer.start(servers.resolve("hdfs"));
    s3 = S3Server.start(servers.resolve("s3"), BUCKET);
  }

  @AfterAll
  static void stopServers() {
    HadoopSettings.setProcessWide(Map.of());
    s3.close();
    hdfs.close();
    kafka.close();
  }

  @Test
  void medallionOnHdfsAndOnS3GivesTheTablesItGivesOnLocalDisk() {
    long validEvents = MedallionFixture.publishFeed(kafka.bootstrapServers(), TOPIC);
    String local = dir.resolve("lake").toString();
    String onHdfs = hdfs.uri() + "/lake";
    String onS3 = "s3a://" + BUCKET + "/lake";
    String s3Settings =
        s3.s3aSettings().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));

    runMedallion(local);
    runMedallion(onHdfs);
    // Users give s3a's endpoint and keys the same way: --hadoop (or the service's hadoop: map).
    runMedallion(onS3, "--hadoop=" + s3Settings);

    Configuration plain = new Configuration();
    Configuration s3a = new Configuration();
    s3.s3aSettings().forEach(s3a::set);
    assertLake(onHdfs, plain, local, validEvents);
    assertLake(onS3, s3a, local, validEvents);
  }

  private void runMedallion(String lakeRoot, String... extraArgs) {
    String[] args = new String[extraArgs.length + 1];
    args[0] = "--runner=DirectRunner";
    System.arraycopy(extraArgs, 0, args, 1, extraArgs.length);
    MedallionFixture.run(kafka.bootstrapServers(), TOPIC, lakeRoot, args);
  }

  private static void assertLake(String lake, Configuration conf, String local, long validEvents) {
    assertThat(rows(TableCatalog.BRONZE_TICKS, lake, conf)).hasSize(MedallionFixture.EVENTS);
    assertThat(rows(TableCatalog.SILVER_TICKS, lake, conf)).hasSize((int) validEvents);
    assertThat(rows(TableCatalog.SILVER_QUARANTINE, lake, conf))
        .hasSameSizeAs(rows(TableCatalog.SILVER_QUARANTINE, local, new Configuration()));
    for (TableDef gold : MedallionFixture.GOLD) {
      List<Map<String, Object>> expected =
          MedallionFixture.sorted(gold, local, new Configuration());
      if (gold != TableCatalog.GOLD_ANOMALIES) {
        assertThat(expected).as(gold.id()).isNotEmpty();
      }
      assertThat(MedallionFixture.sorted(gold, lake, conf))
          .as("%s on %s", gold.id(), lake)
          .isEqualTo(expected);
    }
  }

  private static List<Map<String, Object>> rows(TableDef table, String lake, Configuration conf) {
    return KernelTableReader.of(table.location(lake), conf).readLatest();
  }
}

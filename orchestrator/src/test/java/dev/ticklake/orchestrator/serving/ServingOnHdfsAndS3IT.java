package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import dev.ticklake.orchestrator.health.LakeRootHealthCheck;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.servers.hdfs.HdfsServer;
import dev.ticklake.servers.s3.S3Server;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.HadoopSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's read layer (Delta Kernel: what the Grafana API, the Infinity endpoints and the UI
 * answer from) over lakes on a real HDFS and on S3 (s3proxy via s3a), with the s3a settings given
 * process-wide as the service's {@code hadoop:} map gives them: the lake-root health check is
 * healthy, and a served table gives exactly the rows committed to it, also after a second commit.
 * (The jobs on these file systems are tested by the pipelines' MedallionOnHdfsAndS3IT.)
 */
class ServingOnHdfsAndS3IT {
  private static final String BUCKET = "ticklake";
  private static final Schema SCHEMA = TableCatalog.GOLD_DAILY_METRICS.schema();

  @TempDir static Path servers;
  private static HdfsServer hdfs;
  private static S3Server s3;

  @BeforeAll
  static void startServers() {
    hdfs = HdfsServer.start(servers.resolve("hdfs"));
    s3 = S3Server.start(servers.resolve("s3"), BUCKET);
    HadoopSettings.setProcessWide(s3.s3aSettings());
  }

  @AfterAll
  static void stopServers() {
    HadoopSettings.setProcessWide(Map.of());
    s3.close();
    hdfs.close();
  }

  @Test
  void servesExactRowsFromHdfs() {
    assertServesExactRows(hdfs.uri() + "/lake");
  }

  @Test
  void servesExactRowsFromS3() {
    assertServesExactRows("s3a://" + BUCKET + "/lake");
  }

  private static void assertServesExactRows(String lakeRoot) {
    HealthCheck.Result health = new LakeRootHealthCheck(lakeRoot).execute();
    assertThat(health.isHealthy()).as(health.getMessage()).isTrue();
    LakeReader reader = new LakeReader(lakeRoot, 64L << 20);
    List<List<Object>> expected = new ArrayList<>();

    for (int day = 0; day < 2; day++) {
      List<GenericRecord> rows = new ArrayList<>();
      for (String symbol : List.of("AAPL", "MSFT", "TSLA")) {
        LocalDate date = LocalDate.parse("2026-11-19").plusDays(day);
        double avg = 100 + symbol.charAt(0) + day * 0.25;
        long volume = 1_000L * (day + 1) + symbol.length();
        rows.add(metric(date, symbol, avg, volume));
        expected.add(List.of(date, symbol, avg, volume));
      }
      commit(lakeRoot, rows);

      RowSet served = reader.read(TableQuery.all("gold/daily_metrics"));
      assertThat(served.columns())
          .containsExactly("trading_date", "symbol", "avg_price", "total_volume");
      assertThat(served.rows())
          .as("after commit %d on %s", day + 1, lakeRoot)
          .extracting(r -> List.of(r[0], r[1], r[2], r[3]))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static GenericRecord metric(LocalDate date, String symbol, double avg, long volume) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("trading_date", (int) date.toEpochDay());
    r.put("symbol", symbol);
    r.put("avg_price", avg);
    r.put("total_volume", volume);
    return r;
  }

  /** One commit of {@code rows} (their dates' partitions replaced), as the Gold job commits. */
  private static void commit(String lakeRoot, List<GenericRecord> rows) {
    Pipeline p = Runners.direct();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(SCHEMA)))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.GOLD_DAILY_METRICS, lakeRoot)));
    p.run().waitUntilFinish();
  }
}

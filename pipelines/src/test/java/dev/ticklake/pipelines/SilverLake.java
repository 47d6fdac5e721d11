package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

/** A lake in a temp directory: Bronze written directly with DeltaIO, Silver read with Kernel. */
final class SilverLake {
  static final String TOPIC = "market.ticks";
  static final Instant START = Instant.parse("2026-11-20T14:30:00Z");

  final Path root;

  SilverLake(Path root) {
    this.root = root;
  }

  /** One Bronze record: its Kafka position and raw value (null: tombstone). */
  record Rec(int partition, long offset, String value) {}

  static Rec rec(int partition, long offset, String value) {
    return new Rec(partition, offset, value);
  }

  /** Appends the records as one Bronze commit stamped {@code ingest}; returns the new version. */
  long appendBronze(Instant ingest, Rec... records) {
    List<GenericRecord> rows = new ArrayList<>();
    long micros = micros(ingest);
    for (Rec r : records) {
      GenericRecord row = new GenericData.Record(TableCatalog.BRONZE_TICKS.schema());
      row.put("value", r.value == null ? null : ByteBuffer.wrap(utf8(r.value)));
      row.put("key", null);
      row.put("topic", TOPIC);
      row.put("partition", r.partition);
      row.put("offset", r.offset);
      row.put("kafka_ts", null);
      row.put("ingest_ts", micros);
      row.put("ingest_date", (int) ingest.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
      rows.add(row);
    }
    Pipeline p = Runners.direct();
    Collected<CommitOutcome> outcome = Collected.into();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(TableCatalog.BRONZE_TICKS.schema())))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.BRONZE_TICKS, lake())))
        .apply(outcome);
    p.run().waitUntilFinish();
    assertThat(outcome.elements()).hasSize(1);
    return outcome.elements().get(0).tableVersion();
  }

  String lake() {
    return root.toString();
  }

  RefineSilverJob.Options options(String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--lakeRoot=" + lake());
    args.add("--runId=run-1");
    args.add("--batchStartedAt=" + START);
    args.addAll(Arrays.asList(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(RefineSilverJob.Options.class);
  }

  RefineSilverJob.Result refine(String... extra) {
    return RefineSilverJob.run(options(extra));
  }

  /** Every row of the table's latest snapshot, read by Delta Kernel, sorted by {@code order}. */
  List<Map<String, Object>> rows(TableDef table, String... order) {
    List<Map<String, Object>> rows =
        new ArrayList<>(KernelTableReader.of(table.location(lake())).readLatest());
    Comparator<Map<String, Object>> c = Comparator.comparing(m -> String.valueOf(m.get(order[0])));
    for (int i = 1; i < order.length; i++) {
      String col = order[i];
      c = c.thenComparing(m -> sortable(m.get(col)));
    }
    rows.sort(c);
    return rows;
  }

  List<Map<String, Object>> silver() {
    return rows(TableCatalog.SILVER_TICKS, "symbol", "ts", "source");
  }

  List<Map<String, Object>> quarantine() {
    return rows(TableCatalog.SILVER_QUARANTINE, "batch_id", "kafka_partition", "kafka_offset");
  }

  List<Map<String, Object>> dqMetrics() {
    return rows(TableCatalog.SILVER_DQ_METRICS, "batch_id", "expectation");
  }

  long version(TableDef table) {
    return DeltaTable.at(table.location(lake())).latestVersion();
  }

  long txn(TableDef table, String appId) {
    return DeltaTable.at(table.location(lake())).txnVersion(appId);
  }

  private static String sortable(Object v) {
    if (v instanceof Number n) {
      return String.format("%020d", n.longValue());
    }
    return String.valueOf(v);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  /** A silver/ticks row as Kernel returns it. */
  static Map<String, Object> silverRow(
      String symbol,
      String ts,
      String kind,
      String interval,
      double open,
      double high,
      double low,
      double close,
      long volume,
      String source,
      String eventId,
      Instant ingest,
      String tradeDate) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("symbol", symbol);
    m.put("ts", Instant.parse(ts));
    m.put("kind", kind);
    m.put("interval", interval);
    m.put("open", open);
    m.put("high", high);
    m.put("low", low);
    m.put("close", close);
    m.put("volume", volume);
    m.put("source", source);
    m.put("event_id", eventId);
    m.put("ingest_ts", ingest);
    m.put("trade_date", LocalDate.parse(tradeDate));
    return m;
  }

  /** A silver/quarantine row as Kernel returns it; quarantined at the batch start. */
  static Map<String, Object> quarantineRow(
      String payload,
      long sourceVersion,
      int partition,
      long offset,
      String stage,
      String expectation,
      String reason,
      String batchId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("payload", payload == null ? null : ByteBuffer.wrap(utf8(payload)));
    m.put("source_table", "bronze/ticks");
    m.put("source_version", sourceVersion);
    m.put("kafka_partition", partition);
    m.put("kafka_offset", offset);
    m.put("stage", stage);
    m.put("expectation", expectation);
    m.put("reason", reason);
    m.put("batch_id", batchId);
    m.put("quarantined_at", START);
    m.put("quarantine_date", LocalDate.parse("2026-11-20"));
    return m;
  }

  /** A silver/dq_metrics row as Kernel returns it; recorded at the batch start by run-1. */
  static Map<String, Object> dqRow(
      String batchId, String expectation, String action, long passed, long failed, long dropped) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", "run-1");
    m.put("batch_id", batchId);
    m.put("table_id", "silver/ticks");
    m.put("expectation", expectation);
    m.put("action", action);
    m.put("passed", passed);
    m.put("failed", failed);
    m.put("dropped", dropped);
    m.put("recorded_at", START);
    m.put("metric_date", LocalDate.parse("2026-11-20"));
    return m;
  }
}

package dev.ticklake.orchestrator.core.scheduler;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import dev.ticklake.transforms.delta.DeltaWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;

/** A test lake for the maintenance DAG: small Bronze batches, a reader position, file ages. */
final class MaintenanceLake {
  static final long INGEST_MICROS = 1_767_600_000_000_000L; // 2026-01-05T08:00:00Z
  static final int INGEST_DAY = (int) LocalDate.of(2026, 1, 5).toEpochDay();

  final String root;

  MaintenanceLake(Path root) {
    this.root = root.toString();
  }

  String bronze() {
    return TableCatalog.BRONZE_TICKS.location(root);
  }

  /** Appends {@code batches} commits of {@code rows} Bronze rows each (one small file each). */
  List<GenericRecord> appendBronzeBatches(int batches, int rows) {
    Schema schema = TableCatalog.BRONZE_TICKS.schema();
    List<GenericRecord> all = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<GenericRecord> batch = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        long offset = (long) b * rows + i;
        GenericRecord r = new GenericData.Record(schema);
        r.put(
            "value", ByteBuffer.wrap(("{\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8)));
        r.put("key", ByteBuffer.wrap("AAPL".getBytes(StandardCharsets.UTF_8)));
        r.put("topic", "market.ticks");
        r.put("partition", 0);
        r.put("offset", offset);
        r.put("kafka_ts", INGEST_MICROS + offset);
        r.put("ingest_ts", INGEST_MICROS);
        r.put("ingest_date", INGEST_DAY);
        batch.add(r);
      }
      write(schema, batch, DeltaIO.write().to(CatalogTables.spec(TableCatalog.BRONZE_TICKS, root)));
      all.addAll(batch);
    }
    return all;
  }

  /**
   * Commits one quarantine row with the reader position {@code silver/quarantine:bronze/ticks =
   * bronzeVersion}: as if the quarantine had consumed Bronze up to that version.
   */
  void quarantineConsumedBronzeAt(long bronzeVersion) {
    Schema schema = TableCatalog.SILVER_QUARANTINE.schema();
    GenericRecord r = new GenericData.Record(schema);
    r.put("payload", null);
    r.put("source_table", TableCatalog.BRONZE_TICKS.id());
    r.put("source_version", bronzeVersion);
    r.put("stage", "parse");
    r.put("reason", "test");
    r.put("batch_id", "b" + bronzeVersion);
    r.put("quarantined_at", INGEST_MICROS);
    r.put("quarantine_date", INGEST_DAY);
    write(
        schema,
        List.of(r),
        DeltaIO.write()
            .to(CatalogTables.spec(TableCatalog.SILVER_QUARANTINE, root))
            .withTransaction("silver/quarantine:bronze/ticks", bronzeVersion));
  }

  private static void write(Schema schema, List<GenericRecord> rows, DeltaWrite write) {
    Pipeline p = Runners.direct();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(GenericRecord.class, schema))).apply(write);
    p.run().waitUntilFinish();
  }

  /** Moves the modification time of every file of the lake (data and logs) back by {@code age}. */
  void age(Duration age) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(root))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        FileTime t = Files.getLastModifiedTime(f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(t.toMillis() - age.toMillis()));
      }
    }
  }

  /** The data files of Bronze on disk, relative to the table, sorted. */
  List<String> bronzeFilesOnDisk() throws IOException {
    Path table = Path.of(bronze());
    try (Stream<Path> files = Files.walk(table)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .filter(f -> !table.relativize(f).toString().startsWith("_delta_log"))
          .map(f -> table.relativize(f).toString())
          .sorted()
          .toList();
    }
  }
}

package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.AvroRows;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;

/**
 * A tick-shaped test table and helpers to write and read it through DeltaIO on the DirectRunner.
 */
final class TickTables {
  static final Schema SCHEMA =
      SchemaBuilder.record("Tick")
          .namespace("dev.ticklake.test")
          .fields()
          .requiredString("symbol")
          .name("ts")
          .type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .requiredDouble("price")
          .requiredLong("volume")
          .optionalString("note")
          .name("trade_date")
          .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
          .noDefault()
          .endRecord();

  static final List<String> PARTITIONS = List.of("trade_date");
  static final List<String> KEYS = List.of("symbol", "ts");

  private TickTables() {}

  static GenericRecord tick(String symbol, String ts, double price, long volume, String note) {
    return tick(SCHEMA, symbol, ts, price, volume, note);
  }

  static GenericRecord tick(
      Schema schema, String symbol, String ts, double price, long volume, String note) {
    Instant t = Instant.parse(ts);
    GenericRecord r = new GenericData.Record(schema);
    r.put("symbol", symbol);
    r.put("ts", t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
    r.put("price", price);
    r.put("volume", volume);
    r.put("note", note);
    r.put("trade_date", (int) t.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
    return r;
  }

  /** {@code n} ticks over {@code days} days from 2026-11-18, two symbols, 1 s apart. */
  static List<GenericRecord> generate(int n, int days) {
    List<GenericRecord> rows = new ArrayList<>();
    Instant start = Instant.parse("2026-11-18T14:30:00Z");
    for (int i = 0; i < n; i++) {
      Instant ts = start.plusSeconds((long) (i % days) * 86_400 + i).plusNanos((i % 1000) * 1000L);
      rows.add(
          tick(
              i % 2 == 0 ? "AAPL" : "MSFT",
              ts.toString(),
              100 + i * 0.01,
              i,
              i % 7 == 0 ? null : "n" + i));
    }
    return rows;
  }

  static DeltaWrite append(String location) {
    return DeltaIO.write().to(location).withSchema(SCHEMA).withPartitionColumns(PARTITIONS);
  }

  /** Writes {@code rows} in one pipeline run on the DirectRunner and returns the commit outcome. */
  static CommitOutcome write(List<GenericRecord> rows, DeltaWrite write) {
    return write(Runners.direct(), rows, write);
  }

  static CommitOutcome write(Pipeline p, List<GenericRecord> rows, DeltaWrite write) {
    Schema schema = rows.isEmpty() ? SCHEMA : rows.get(0).getSchema();
    PCollection<GenericRecord> input =
        p.apply("Rows", Create.of(rows).withCoder(AvroCoder.of(schema)));
    Collected<CommitOutcome> outcomes = Collected.into();
    input.apply("Write", write).apply(outcomes);
    p.run().waitUntilFinish();
    assertThat(outcomes.elements()).hasSize(1);
    return outcomes.elements().get(0);
  }

  /** Rows read back through DeltaIO.read(), as sorted maps. */
  static List<Map<String, Object>> read(DeltaRead read) {
    Pipeline p = Runners.direct();
    Collected<GenericRecord> rows = Collected.into();
    p.apply("Read", read).apply(rows);
    p.run().waitUntilFinish();
    return sorted(AvroRows.toMaps(rows.elements()));
  }

  static List<Map<String, Object>> sorted(List<Map<String, Object>> rows) {
    List<Map<String, Object>> copy = new ArrayList<>(rows);
    copy.sort(
        Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("symbol")))
            .thenComparing(m -> String.valueOf(m.get("ts"))));
    return copy;
  }

  static List<Map<String, Object>> maps(List<GenericRecord> rows) {
    return sorted(AvroRows.toMaps(rows));
  }
}

package dev.ticklake.transforms.bronze;

import dev.ticklake.schemas.catalog.TableCatalog;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns raw Kafka records into {@code bronze/ticks} rows, byte for byte: Bronze keeps every record,
 * also unparseable ones (parsing is Silver's job). All rows of a batch share one ingest time, so a
 * re-run batch writes the same rows.
 */
public final class ToBronzeRows
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<GenericRecord>> {
  private static final long serialVersionUID = 1L;
  private final long ingestMicros;

  private ToBronzeRows(long ingestMicros) {
    this.ingestMicros = ingestMicros;
  }

  /** Rows stamped with {@code ingestTime} (and partitioned by its UTC date). */
  public static ToBronzeRows at(Instant ingestTime) {
    return new ToBronzeRows(ingestTime.getEpochSecond() * 1_000_000L + ingestTime.getNano() / 1000);
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    Schema schema = TableCatalog.BRONZE_TICKS.schema();
    return records
        .apply("ToBronzeRow", ParDo.of(new ToRowFn(ingestMicros)))
        .setCoder(AvroCoder.of(schema));
  }

  private static final class ToRowFn extends DoFn<KafkaRecord<byte[], byte[]>, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final long ingestMicros;
    private final int ingestDate;
    private transient Schema schema;

    ToRowFn(long ingestMicros) {
      this.ingestMicros = ingestMicros;
      this.ingestDate =
          (int)
              Instant.ofEpochSecond(Math.floorDiv(ingestMicros, 1_000_000L))
                  .atOffset(ZoneOffset.UTC)
                  .toLocalDate()
                  .toEpochDay();
    }

    @Setup
    public void setup() {
      schema = TableCatalog.BRONZE_TICKS.schema();
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, OutputReceiver<GenericRecord> out) {
      GenericRecord row = new GenericData.Record(schema);
      byte[] key = r.getKV().getKey();
      byte[] value = r.getKV().getValue();
      row.put("value", value == null ? null : ByteBuffer.wrap(value));
      row.put("key", key == null ? null : ByteBuffer.wrap(key));
      row.put("topic", r.getTopic());
      row.put("partition", r.getPartition());
      row.put("offset", r.getOffset());
      row.put("kafka_ts", r.getTimestamp() >= 0 ? r.getTimestamp() * 1000L : null);
      row.put("ingest_ts", ingestMicros);
      row.put("ingest_date", ingestDate);
      out.output(row);
    }
  }
}

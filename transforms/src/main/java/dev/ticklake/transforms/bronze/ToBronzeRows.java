package dev.ticklake.transforms.bronze;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.kafka.KafkaRecordBytes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
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
    extends PTransform<PCollection<KafkaRecordBytes>, PCollection<GenericRecord>> {
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
  public PCollection<GenericRecord> expand(PCollection<KafkaRecordBytes> records) {
    Schema schema = TableCatalog.BRONZE_TICKS.schema();
    return records
        .apply("ToBronzeRow", ParDo.of(new ToRowFn(ingestMicros)))
        .setCoder(AvroCoder.of(schema));
  }

  private static final class ToRowFn extends DoFn<KafkaRecordBytes, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final long ingestMicros;
    private final int ingestDate;
    private transient Schema schema;
    // Field positions, resolved once: put(String) would look the field up per column per row.
    private transient int value, key, topic, partition, offset, kafkaTs, ingestTs, ingestDateField;

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
      value = schema.getField("value").pos();
      key = schema.getField("key").pos();
      topic = schema.getField("topic").pos();
      partition = schema.getField("partition").pos();
      offset = schema.getField("offset").pos();
      kafkaTs = schema.getField("kafka_ts").pos();
      ingestTs = schema.getField("ingest_ts").pos();
      ingestDateField = schema.getField("ingest_date").pos();
    }

    @ProcessElement
    public void process(@Element KafkaRecordBytes r, OutputReceiver<GenericRecord> out) {
      GenericRecord row = new GenericData.Record(schema);
      row.put(value, r.value() == null ? null : ByteBuffer.wrap(r.value()));
      row.put(key, r.key() == null ? null : ByteBuffer.wrap(r.key()));
      row.put(topic, r.topic());
      row.put(partition, r.partition());
      row.put(offset, r.offset());
      row.put(kafkaTs, r.timestamp() >= 0 ? r.timestamp() * 1000L : null);
      row.put(ingestTs, ingestMicros);
      row.put(ingestDateField, ingestDate);
      out.output(row);
    }
  }
}

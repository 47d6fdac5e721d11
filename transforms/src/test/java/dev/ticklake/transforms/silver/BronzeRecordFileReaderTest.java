package dev.ticklake.transforms.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading Bronze files straight into {@link BronzeRecord}s gives exactly the rows' value,
 * partition, offset and ingest time: over two commits and two ingest dates, with a tombstone (null
 * value), an empty value and non-ASCII bytes.
 */
class BronzeRecordFileReaderTest {
  private static final Schema BRONZE = TableCatalog.BRONZE_TICKS.schema();
  private static final long DAY_MICROS = 86_400_000_000L;

  @TempDir Path dir;

  @Test
  void recordsEqualTheRowsWritten() {
    String root = dir.toString();
    List<BronzeRecord> expected = new ArrayList<>();
    List<GenericRecord> first = new ArrayList<>();
    List<GenericRecord> second = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] value =
          switch (i % 50) {
            case 7 -> null;
            case 8 -> new byte[0];
            case 9 -> "{\"symbol\":\"Ä\"}".getBytes(StandardCharsets.UTF_8);
            default -> ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
          };
      int partition = i % 3;
      long offset = 1_000L + i;
      long ingestTs = 20_000 * DAY_MICROS + (i < 200 ? 0 : DAY_MICROS) + i;
      (i % 2 == 0 ? first : second).add(row(value, partition, offset, ingestTs));
      expected.add(new BronzeRecord(value, partition, offset, ingestTs));
    }
    write(root, first);
    write(root, second);

    Pipeline p = Runners.direct();
    Collected<BronzeRecord> read = Collected.into();
    p.apply(
            DeltaIO.read()
                .from(CatalogTables.spec(TableCatalog.BRONZE_TICKS, root))
                .readingFilesWith(new BronzeRecordFileReader(), BronzeRecord.CODER))
        .apply(read);
    p.run().waitUntilFinish();

    List<BronzeRecord> actual = new ArrayList<>(read.elements());
    actual.sort(Comparator.comparingLong(BronzeRecord::offset));
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(actual.get(7).value()).isNull();
    assertThat(actual.get(8).value()).isEmpty();
  }

  @Test
  void theCoderRoundTripsEveryValueForm() throws Exception {
    Coder<BronzeRecord> coder = BronzeRecord.CODER;
    for (BronzeRecord r :
        List.of(
            new BronzeRecord(null, 0, 0, 0),
            new BronzeRecord(new byte[0], 1, -1, Long.MIN_VALUE),
            new BronzeRecord(new byte[] {-1, 0, 127}, Integer.MAX_VALUE, Long.MAX_VALUE, 42))) {
      CoderProperties.coderDecodeEncodeEqual(coder, r);
      CoderProperties.coderDeterministic(coder, r, r);
    }
  }

  private static GenericRecord row(byte[] value, int partition, long offset, long ingestTs) {
    GenericRecord r = new GenericData.Record(BRONZE);
    r.put("value", value == null ? null : ByteBuffer.wrap(value));
    r.put("key", ByteBuffer.wrap("K".getBytes(StandardCharsets.UTF_8)));
    r.put("topic", "market.ticks");
    r.put("partition", partition);
    r.put("offset", offset);
    r.put("kafka_ts", ingestTs - 5);
    r.put("ingest_ts", ingestTs);
    r.put("ingest_date", (int) Math.floorDiv(ingestTs, DAY_MICROS));
    return r;
  }

  private static void write(String root, List<GenericRecord> rows) {
    Pipeline p = Runners.direct();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(GenericRecord.class, BRONZE)))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.BRONZE_TICKS, root)));
    p.run().waitUntilFinish();
  }
}
